import type { NotificationKind } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface NotificationBody {
  contact: Record<string, unknown>;
  summary: string | null;
  conversationUrl: string | null;
  channel: string | null;
  [extra: string]: unknown;
}

@Entity('notifications')
export class Notification {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'member_id' }) memberId!: string;
  @Column('text') kind!: NotificationKind;
  @Column('text') title!: string;
  @Column('jsonb') body!: NotificationBody;
  @Column('uuid', { name: 'conversation_id', nullable: true }) conversationId!: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId!: string | null;
  /** With member and kind, unique: nobody is told twice about one thing. */
  @Column('text', { name: 'source_event_id' }) sourceEventId!: string;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
