import type { Channel, IdentifierDto } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ConversationStatus = 'open' | 'closed';

@Entity('conversations')
export class Conversation {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') channel!: Channel;
  /** Device id, phone number, call id or email thread: one conversation per account, channel and visitor key. */
  @Column('text', { name: 'visitor_key' }) visitorKey!: string;
  /** The account's channel it came in on (widget key, number, address), whose capture settings apply; null before it was kept. */
  @Column('text', { name: 'channel_address', nullable: true }) channelAddress!: string | null;
  @Column('jsonb') identifiers!: IdentifierDto[];
  @Column('text') status!: ConversationStatus;
  /** Set once identity links it; null while anonymous (a duplicate conversation stays anonymous). */
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId!: string | null;
  @Column('uuid', { name: 'original_conversation_id', nullable: true }) originalConversationId!: string | null;
  @Column('timestamptz', { name: 'idle_deadline', nullable: true }) idleDeadline!: Date | null;
  @Column('int', { name: 'idle_cycle' }) idleCycle!: number;
  @Column('timestamptz', { name: 'last_idle_at', nullable: true }) lastIdleAt!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  /** The visitor address no longer leads here (web chat shutdown, erasure): the next message opens a new one. */
  @Column('timestamptz', { name: 'detached_at', nullable: true }) detachedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_activity_at' }) lastActivityAt!: Date;
}
