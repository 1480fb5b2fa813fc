import { Column, Entity, PrimaryColumn } from 'typeorm';

export const LEAD_HISTORY_KINDS = [
  'created', 'status_changed', 'assigned', 'scored', 'follow_up', 'follow_up_completed', 'conversation', 'past_leads', 'note',
  'contact_merged', 'contact_unmerged',
] as const;
export type LeadHistoryKind = (typeof LEAD_HISTORY_KINDS)[number];

/** One entry of a lead's (and its contact's) timeline. */
@Entity('lead_history')
export class LeadHistoryEntry {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text') kind!: LeadHistoryKind;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
