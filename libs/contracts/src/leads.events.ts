import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { AccountScoped, CHANNELS, ContactSnapshotDto, type Channel } from './common';
import { defineEvent } from './event-definition';

export const LEAD_STATUSES = [
  'new', 'contacted', 'qualifying', 'qualified', 'follow_up', 'converted', 'lost', 'archived',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_REASONS = ['new_contact', 'returning_contact', 'import', 'api'] as const;
export type LeadReason = (typeof LEAD_REASONS)[number];

export const SCORE_SOURCES = ['ai', 'manual'] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];

abstract class LeadEvent extends AccountScoped {
  @IsUUID() leadId!: string;
  @IsUUID() contactId!: string;
}

export class LeadCreated extends LeadEvent {
  @IsIn(LEAD_STATUSES) status!: LeadStatus;
  @IsIn(LEAD_REASONS) reason!: LeadReason;
  @ValidateNested() @Type(() => ContactSnapshotDto) contact!: ContactSnapshotDto;
  @IsOptional() @IsString() @MaxLength(2000) summary?: string | null;
  @IsOptional() @IsUUID() conversationId?: string | null;
  @IsOptional() @IsString() @MaxLength(2000) conversationUrl?: string | null;
  @IsOptional() @IsIn(CHANNELS) channel?: Channel | null;
  @IsOptional() @IsInt() @Min(0) @Max(100) score?: number | null;
  @IsArray() @IsUUID('all', { each: true }) previousLeadIds!: string[];
  @IsISO8601() createdAt!: string;
}

export class LeadStatusChanged extends LeadEvent {
  @IsIn(LEAD_STATUSES) from!: LeadStatus;
  @IsIn(LEAD_STATUSES) to!: LeadStatus;
  @IsBoolean() active!: boolean;
  @IsOptional() @IsUUID() changedBy?: string | null;
  @IsISO8601() changedAt!: string;
}

export class LeadAssigned extends LeadEvent {
  @IsOptional() @IsUUID() agentId!: string | null;
  @IsOptional() @IsUUID() previousAgentId?: string | null;
  @IsOptional() @IsUUID() assignedBy?: string | null;
  @IsISO8601() assignedAt!: string;
}

export class LeadScored extends LeadEvent {
  @IsInt() @Min(0) @Max(100) score!: number;
  @IsIn(SCORE_SOURCES) source!: ScoreSource;
  @IsOptional() @IsInt() @Min(0) @Max(100) previousScore?: number | null;
  @IsISO8601() scoredAt!: string;
}

export class LeadFollowUpCreated extends LeadEvent {
  @IsUUID() followUpId!: string;
  @IsISO8601() dueAt!: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
  @IsOptional() @IsUUID() assigneeId?: string | null;
  @IsISO8601() createdAt!: string;
}

export class LeadDeleted extends LeadEvent {
  @IsIn(['erased', 'merged', 'deleted']) reason!: 'erased' | 'merged' | 'deleted';
  @IsISO8601() deletedAt!: string;
}

export const LeadCreatedEvent = defineEvent('LEADS', 1, 'lead.created', LeadCreated,
  'A lead was opened for a contact, with the contact, summary, conversation link and reason.');
export const LeadStatusChangedEvent = defineEvent('LEADS', 1, 'lead.status_changed', LeadStatusChanged,
  'A lead moved to another status.');
export const LeadAssignedEvent = defineEvent('LEADS', 1, 'lead.assigned', LeadAssigned,
  'A lead was assigned, reassigned or unassigned (agentId null).');
export const LeadScoredEvent = defineEvent('LEADS', 1, 'lead.scored', LeadScored,
  'A lead\'s qualification score changed, by the AI or by hand.');
export const LeadFollowUpCreatedEvent = defineEvent('LEADS', 1, 'lead.follow_up_created', LeadFollowUpCreated,
  'A follow-up was scheduled on an active lead.');
export const LeadDeletedEvent = defineEvent('LEADS', 1, 'lead.deleted', LeadDeleted,
  'A lead was removed (its contact erased or merged away).');
