import { CHANNELS, LEAD_STATUSES, type Channel, type LeadStatus } from '@leadline/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min,
} from 'class-validator';

/** `a,b` or repeated parameters (`?status=a&status=b`) or a JSON array: all become an array. */
function listOf({ value }: { value: unknown }): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',') : [item])).map((item) => (typeof item === 'string' ? item.trim() : item));
}

function booleanOf({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  return value;
}

export const LEAD_SORTS = ['createdAt', 'updatedAt', 'score'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** Which leads: every filter is optional and they combine with AND. */
export class LeadFilterDto {
  @ApiPropertyOptional({ description: 'Statuses, comma-separated or repeated', enum: LEAD_STATUSES, isArray: true, example: ['new', 'contacted'] })
  @IsOptional() @Transform(listOf) @IsIn(LEAD_STATUSES, { each: true })
  status?: LeadStatus[];

  @ApiPropertyOptional({ description: 'true: only active leads; false: only inactive (final status) ones' })
  @IsOptional() @Transform(booleanOf) @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'The assigned member\'s id, or `none` for unassigned leads', example: 'none' })
  @IsOptional() @IsString() @Matches(/^(none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'agentId must be a member UUID or "none"' })
  agentId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Lowest score, inclusive (leads without a score never match a score range)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  scoreMin?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Highest score, inclusive' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  scoreMax?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional() @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional() @IsISO8601({ strict: true })
  createdTo?: string;

  @ApiPropertyOptional({ enum: CHANNELS, isArray: true, description: 'Channels of the lead\'s conversation, comma-separated or repeated' })
  @IsOptional() @Transform(listOf) @IsIn(CHANNELS, { each: true })
  channel?: Channel[];

  @ApiPropertyOptional({ maxLength: 200, description: 'Text found in the contact\'s name, email or phone (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}

/** A page of the list: filters, sort, cursor and size. */
export class LeadListQueryDto extends LeadFilterDto {
  @ApiPropertyOptional({ enum: LEAD_SORTS, default: 'createdAt' })
  @IsOptional() @IsIn(LEAD_SORTS)
  sort?: LeadSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional() @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'The X-Next-Cursor header of the previous page' })
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}
