import type { Channel, MessageAuthor } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('messages')
export class Message {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('text') channel!: Channel;
  @Column('text') author!: MessageAuthor;
  @Column('uuid', { name: 'member_id', nullable: true }) memberId!: string | null;
  @Column('text') text!: string;
  /** The provider's id (client message id, MessageSid, Message-ID): a repeat is acknowledged and ignored. */
  @Column('text', { name: 'provider_message_id' }) providerMessageId!: string;
  @Column('timestamptz', { name: 'sent_at' }) sentAt!: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
