import { IsString, IsUUID, Length } from 'class-validator';

export class WebchatMessageDto {
  /** The account's widget key, from the embed snippet. */
  @IsString() @Length(1, 200)
  widgetKey!: string;

  /** The visitor's device id: a UUID the widget keeps in a cookie. */
  @IsUUID()
  deviceId!: string;

  /** The widget's own id for this message; a repeat is acknowledged and ignored. */
  @IsString() @Length(1, 200)
  clientMessageId!: string;

  @IsString() @Length(1, 10_000)
  text!: string;
}
