import { IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';

/** PostgreSQL text cannot hold U+0000: refused as bad input rather than failing when stored. */
export const NO_NUL = /^[^\u0000]*$/;

/** The business's own user id and its identity token: both or neither. */
export class WebchatIdentityDto {
  @ValidateIf((dto: WebchatIdentityDto) => dto.userId !== undefined || dto.identityToken !== undefined)
  @IsString() @Length(1, 320)
  userId?: string;

  /** Hex HMAC-SHA256 of `userId` by the account's identity secret. */
  @ValidateIf((dto: WebchatIdentityDto) => dto.userId !== undefined || dto.identityToken !== undefined)
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'identityToken must be the hex HMAC-SHA256 of userId' })
  identityToken?: string;
}

export class WebchatMessageDto extends WebchatIdentityDto {
  /** The account's widget key, from the embed snippet. */
  @IsString() @Length(1, 200)
  widgetKey!: string;

  /** The visitor's device id: a UUID the widget keeps in a cookie. */
  @IsUUID()
  deviceId!: string;

  /** The widget's own id for this message; a repeat is acknowledged and ignored. */
  @IsString() @Length(1, 200)
  clientMessageId!: string;

  @IsString() @Length(1, 10_000) @Matches(NO_NUL, { message: 'text must not contain NUL characters' })
  text!: string;
}

export class WebchatSessionDto extends WebchatIdentityDto {
  @IsString() @Length(1, 200)
  widgetKey!: string;

  @IsUUID()
  deviceId!: string;
}
