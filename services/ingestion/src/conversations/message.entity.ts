import type { Channel, MessageAuthor } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A picture or file that came with a message (MMS media, an email attachment's name). */
export interface MessageAttachment {
  url?: string;
  name?: string;
  contentType?: string;
}

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
  /** Email only: the subject line. */
  @Column('text', { nullable: true }) subject!: string | null;
  /** Email only: the quoted history below the new text, kept apart from it. */
  @Column('text', { name: 'quoted_text', nullable: true }) quotedText!: string | null;
  /** Email only: the sender's signature, kept apart from the new text. */
  @Column('text', { name: 'signature_text', nullable: true }) signatureText!: string | null;
  @Column('jsonb') attachments!: MessageAttachment[];
  /** W3C trace context of the request that brought the message: the idle event's span links to it. */
  @Column('jsonb', { name: 'trace_headers', select: false }) traceHeaders!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
