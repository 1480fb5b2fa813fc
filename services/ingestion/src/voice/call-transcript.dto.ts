import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { NO_NUL } from '../webchat/webchat-message.dto';

export class CallTurnDto {
  /** `caller`: the visitor; `ai`: the business's voice agent. */
  @IsIn(['caller', 'ai'])
  speaker!: 'caller' | 'ai';

  @IsString() @Length(1, 10_000) @Matches(NO_NUL, { message: 'text must not contain NUL characters' })
  text!: string;

  /** When the turn was spoken. */
  @IsISO8601()
  at!: string;
}

/** A call's transcript, as the voice provider sends it during or after the call (resending it adds only new turns). */
export class CallTranscriptDto {
  /** The account's voice number that was called (E.164). */
  @IsString() @Length(1, 320)
  to!: string;

  /** The provider's call id: one conversation per call. */
  @IsString() @Length(1, 200)
  callId!: string;

  /** The caller's number. */
  @IsString() @Length(1, 320)
  from!: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2000) @ValidateNested({ each: true }) @Type(() => CallTurnDto)
  turns!: CallTurnDto[];
}
