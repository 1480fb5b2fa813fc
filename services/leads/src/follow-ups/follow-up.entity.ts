import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Someone should get back to a lead by a time. */
@Entity('follow_ups')
export class FollowUp {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
