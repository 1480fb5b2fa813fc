import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ConversationEventKind =
  'linked' | 'new_conversation' | 'reopened' | 'closed' | 'contact_merged' | 'contact_unmerged' | 'erased';

/** Things that happened to a conversation besides messages, e.g. "A new conversation has occurred". */
@Entity('conversation_events')
export class ConversationEventRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('text') kind!: ConversationEventKind;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
