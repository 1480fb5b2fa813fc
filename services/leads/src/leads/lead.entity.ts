import type { Channel, ContactSnapshotDto, LeadReason, LeadStatus, ScoreSource } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('leads')
export class Lead {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text') status!: LeadStatus;
  /** False once the status is final (converted, lost, archived). */
  @Column('boolean') active!: boolean;
  @Column('text') reason!: LeadReason;
  @Column('int', { nullable: true }) score!: number | null;
  @Column('text', { name: 'score_source', nullable: true }) scoreSource!: ScoreSource | null;
  @Column('uuid', { name: 'agent_id', nullable: true }) agentId!: string | null;
  @Column('text', { nullable: true }) channel!: Channel | null;
  @Column('uuid', { name: 'conversation_id', nullable: true }) conversationId!: string | null;
  @Column('text', { name: 'conversation_url', nullable: true }) conversationUrl!: string | null;
  @Column('text', { nullable: true }) summary!: string | null;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('jsonb') contact!: ContactSnapshotDto;
  /** Lower-case name, emails and phones: what the list's text filter searches (trigram index). */
  @Column('text', { name: 'search_text', select: true }) searchText!: string;
  /** Why a lead was closed by the system (a merge), when it was. */
  @Column('text', { name: 'closed_reason', nullable: true }) closedReason!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
