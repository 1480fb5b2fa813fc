import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { SUGGESTION_STATUSES, type SuggestionStatus } from './duplicate-suggestion.entity';

export class ListSuggestionsQuery {
  @IsOptional() @IsIn(SUGGESTION_STATUSES) status?: SuggestionStatus;
  /** Only the suggestions involving this contact. */
  @IsOptional() @IsUUID() contactId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}
