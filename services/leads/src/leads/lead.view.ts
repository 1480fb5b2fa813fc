import { CHANNELS, LEAD_REASONS, LEAD_STATUSES, SCORE_SOURCES, type ContactSnapshotDto } from '@leadline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TimelineEntryView } from '../timeline/timeline.dto';
import type { Lead } from './lead.entity';

/** The contact as the lead shows it (identity's snapshot). */
export class ContactView {
  @ApiProperty({ format: 'uuid' }) contactId!: string;
  @ApiProperty({ enum: ['lead', 'user'] }) role!: 'lead' | 'user';
  @ApiProperty({ description: 'Name, else email, else phone' }) displayName!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) firstName?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastName?: string | null;
  @ApiProperty({ type: [String] }) emails!: string[];
  @ApiProperty({ type: [String] }) phones!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) address?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) postalCode?: string | null;
}

export class LeadView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ format: 'uuid' }) contactId!: string;
  @ApiProperty({ enum: LEAD_STATUSES }) status!: string;
  @ApiProperty({ description: 'False once the status is final (converted, lost, archived)' }) active!: boolean;
  @ApiProperty({ enum: LEAD_REASONS }) reason!: string;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100 }) score!: number | null;
  @ApiProperty({ enum: SCORE_SOURCES, nullable: true }) scoreSource!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The assigned member' }) agentId!: string | null;
  @ApiProperty({ enum: CHANNELS, nullable: true }) channel!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) conversationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) conversationUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: ContactView }) contact!: ContactSnapshotDto;
  @ApiProperty({ type: String, nullable: true, description: 'Why the system closed the lead (a merge), if it did' }) closedReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export function leadView(lead: Lead): LeadView {
  const { searchText: _searchText, ...view } = lead;
  return view;
}

export class LeadCountsView {
  @ApiProperty({ description: 'Leads matching the filters (the status filter aside)' }) total!: number;
  @ApiProperty({
    description: 'Leads per status, every status present (0 when none)',
    type: 'object', additionalProperties: { type: 'integer' }, example: { new: 3, contacted: 1, qualifying: 0 },
  })
  byStatus!: Record<string, number>;
}

/** Answer of a refused change (409). */
export class ConflictView {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'Why it was refused, e.g. the lead is inactive' }) reason!: string;
}

/** Answer of bad input (400). */
export class FieldProblemView {
  @ApiProperty() field!: string;
  @ApiProperty() reason!: string;
}

export class BadRequestView {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [FieldProblemView] }) fields!: FieldProblemView[];
}

export class NotFoundView {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty() message!: string;
}

export class LeadDetailView extends LeadView {
  @ApiProperty({ type: [TimelineEntryView], description: 'The lead\'s timeline, oldest first' }) history!: TimelineEntryView[];
}
