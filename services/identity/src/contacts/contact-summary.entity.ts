import type { QualificationSignalsDto } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the visitor wanted in one idle cycle of one conversation. */
@Entity('contact_summaries')
export class ContactSummary {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('int') cycle!: number;
  @Column('text') summary!: string;
  @Column('jsonb') signals!: QualificationSignalsDto;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
