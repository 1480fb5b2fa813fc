import { LEAD_STATUSES, type LeadStatus } from '@leadline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { LeadFilterDto } from '../listing/lead-filter.dto';

export const BULK_ACTIONS = ['status', 'assign', 'archive'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Leads one request handles at most when acting on a filter; the answer's `nextCursor` goes on from there. */
export const BULK_PER_REQUEST = 10_000;

/** One action on the selected leads (`leadIds`) or on every lead the filters match (`filter`). */
export class BulkActionDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action!: BulkAction;

  @ApiPropertyOptional({ enum: LEAD_STATUSES, description: 'Required for action `status`' })
  @ValidateIf((dto: BulkActionDto) => dto.action === 'status')
  @IsIn(LEAD_STATUSES, { message: 'status must be a lead status (required for action "status")' })
  status?: LeadStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'For action `assign`: an active member, or null to unassign' })
  @ValidateIf((dto: BulkActionDto) => dto.action === 'assign' && dto.agentId !== null)
  @IsUUID('all', { message: 'agentId must be a member UUID, or null to unassign (required for action "assign")' })
  agentId?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: 1000, description: 'The selected leads (or give `filter`)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsUUID('all', { each: true })
  leadIds?: string[];

  @ApiPropertyOptional({ type: LeadFilterDto, description: 'Every lead these filters match (or give `leadIds`)' })
  @IsOptional() @ValidateNested() @Type(() => LeadFilterDto)
  filter?: LeadFilterDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'With `filter`: the `nextCursor` of the previous answer, to go on after its leads' })
  @IsOptional() @IsUUID()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: BULK_PER_REQUEST, default: BULK_PER_REQUEST, description: 'With `filter`: at most this many leads in this call (a client showing progress takes smaller steps)' })
  @IsOptional() @IsInt() @Min(1) @Max(BULK_PER_REQUEST)
  limit?: number;
}

export class BulkLeadResult {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ enum: ['changed', 'unchanged', 'skipped'] }) outcome!: 'changed' | 'unchanged' | 'skipped';
  @ApiPropertyOptional({ description: 'Why it was skipped or left unchanged' }) reason?: string;
  @ApiPropertyOptional({
    enum: [404, 409], description: 'For a skipped lead, what the same change on that one lead would answer: 409 inactive (a final status), 404 not in the account',
  })
  code?: 404 | 409;
}

export class BulkSummary {
  @ApiProperty() changed!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
}

export class BulkResultView {
  @ApiProperty({ type: [BulkLeadResult] }) results!: BulkLeadResult[];
  @ApiProperty({ type: BulkSummary }) summary!: BulkSummary;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'With `filter`: more leads match than this call took; send it as `cursor` (same filter) to go on. null when none are left' })
  nextCursor!: string | null;
}
