import { IsEmail, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

/** A business tells Leadline that a visitor is one of its signed-up users, signed with the account's identity secret. */
export class IdentifyDto {
  @IsUUID() accountId!: string;

  /** The business's own user id. */
  @IsString() @Length(1, 320) @Matches(/^[^\u0000-\u001f]+$/, { message: 'userId must not contain control characters' })
  userId!: string;

  @IsOptional() @IsEmail() @MaxLength(320) email?: string;

  /** Hex HMAC-SHA256 of `userId` + "\n" + `email` (or of `userId` alone without an email). Missing: 401. */
  @IsOptional() @IsString() @MaxLength(200) signature?: string;

  /** The web chat visitor id (the widget's cookie), to find the visitor's contact and keep their conversations. */
  @IsOptional() @IsString() @Length(1, 320) deviceId?: string;

  /** A conversation of the visitor, to find their contact. */
  @IsOptional() @IsUUID() conversationId?: string;
}
