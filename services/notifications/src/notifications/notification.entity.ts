import type { Channel, NotificationKind } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface NotificationBody {
  /** "New Lead", "Conversation Update", "New Message" or the automation's name. */
  label: string;
  /** Who it is about: name, else email, else phone. */
  name: string;
  contact: Record<string, unknown>;
  summary: string | null;
  conversationUrl: string | null;
  channel: Channel | null;
  /** Further lines: which conversations were linked, the message received, what changed. */
  details: string[];
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
  /** The event that caused it: with the member, unique (an automation never repeats what the member was told). */
  @Column('text', { name: 'cause_event_id' }) causeEventId!: string;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
