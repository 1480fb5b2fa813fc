import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CHANNELS, type Channel } from '@leadline/contracts';

export class InboxQueryDto {
  /** `anonymous`: conversations not linked to a contact (duplicates stay here). */
  @IsOptional() @IsIn(['anonymous', 'all'])
  section?: 'anonymous' | 'all';

  @IsOptional() @IsUUID()
  contactId?: string;

  @IsOptional() @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @IsOptional() @IsIn(CHANNELS)
  channel?: Channel;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
}

export class CloseConversationDto {
  @IsOptional() @IsString() @MaxLength(200)
  reason?: string;
}
