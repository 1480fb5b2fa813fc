import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which contact a conversation is with; a duplicate one is a later conversation of a known contact. */
@Entity('conversation_links')
export class ConversationLink {
  @PrimaryColumn('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('boolean') duplicate!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
