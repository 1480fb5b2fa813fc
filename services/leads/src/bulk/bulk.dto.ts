import { LEAD_STATUSES, type LeadStatus } from '@leadline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID, ValidateIf, ValidateNested,
} from 'class-validator';
import { LeadFilterDto } from '../listing/lead-filter.dto';

export const BULK_ACTIONS = ['status', 'assign', 'archive'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

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

  @ApiPropertyOptional({ format: 'uuid', description: 'With `filter`: the `nextCursor` of the previous answer, to go on after its 10,000 leads' })
  @IsOptional() @IsUUID()
  cursor?: string;
}

export class BulkLeadResult {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ enum: ['changed', 'unchanged', 'skipped'] }) outcome!: 'changed' | 'unchanged' | 'skipped';
  @ApiPropertyOptional({ description: 'Why it was skipped or left unchanged' }) reason?: string;
}

export class BulkSummary {
  @ApiProperty() changed!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
}

export class BulkResultView {
  @ApiProperty({ type: [BulkLeadResult] }) results!: BulkLeadResult[];
  @ApiProperty({ type: BulkSummary }) summary!: BulkSummary;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'With `filter`: more leads match; send it as `cursor` to go on' })
  nextCursor!: string | null;
}
