import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { ConversationEventRecord } from './conversation-event.entity';
import { Conversation } from './conversation.entity';
import type { InboundMessage, RecordedMessage } from './inbound-message';
import { Message } from './message.entity';

interface UpsertedConversation {
  id: string;
  reopened: boolean;
}

@Injectable()
export class ConversationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly accounts: AccountDirectory,
  ) {}

  /** Stores a message exactly once, opening or reopening its conversation and moving the idle deadline. */
  record(message: InboundMessage): Promise<RecordedMessage> {
    return this.unitOfWork.run(async (tx) => {
      const conversation = await this.upsertConversation(tx, message);
      const messageId = uuidv7();
      const inserted: unknown[] = await tx.query(
        `INSERT INTO messages (id, account_id, conversation_id, channel, author, member_id, text, provider_message_id, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (account_id, channel, provider_message_id) DO NOTHING
         RETURNING id`,
        [messageId, message.accountId, conversation.id, message.channel, message.author, message.memberId ?? null,
          message.text, message.providerMessageId, message.sentAt],
      );
      if (inserted.length === 0) {
        const [existing] = await tx.query(
          'SELECT id, conversation_id FROM messages WHERE account_id = $1 AND channel = $2 AND provider_message_id = $3',
          [message.accountId, message.channel, message.providerMessageId]) as { id: string; conversation_id: string }[];
        // Rolls back the touch of last activity: a repeat changes nothing.
        throw new DuplicateMessage({ conversationId: existing!.conversation_id, messageId: existing!.id, duplicate: true });
      }
      if (message.author === 'visitor') await this.moveIdleDeadline(tx, message.accountId, conversation.id);
      if (conversation.reopened) await this.reopen(tx, message, conversation.id);
      await this.outbox.add(tx, MessageReceivedEvent, {
        accountId: message.accountId, conversationId: conversation.id, messageId, channel: message.channel,
        author: message.author, ...(message.memberId ? { memberId: message.memberId } : {}), text: message.text,
        sentAt: message.sentAt.toISOString(),
      }, conversation.id);
      return { conversationId: conversation.id, messageId, duplicate: false };
    }).catch((error: unknown) => {
      if (error instanceof DuplicateMessage) return error.recorded;
      throw error;
    });
  }

  async findInAccount(accountId: string, conversationId: string, manager: EntityManager = this.dataSource.manager): Promise<Conversation> {
    const conversation = await manager.findOneBy(Conversation, { id: conversationId, accountId });
    if (!conversation) throw new NotFoundException('conversation not found');
    return conversation;
  }

  async detail(accountId: string, conversationId: string) {
    const conversation = await this.findInAccount(accountId, conversationId);
    const messages = await this.dataSource.manager.find(Message, {
      where: { conversationId }, order: { createdAt: 'ASC', id: 'ASC' },
    });
    const events = await this.dataSource.manager.find(ConversationEventRecord, {
      where: { conversationId }, order: { createdAt: 'ASC' },
    });
    return { ...conversation, messages, events };
  }

  private async upsertConversation(tx: EntityManager, message: InboundMessage): Promise<UpsertedConversation> {
    const [row] = await tx.query(
      `INSERT INTO conversations (id, account_id, channel, visitor_key, identifiers)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (account_id, channel, visitor_key) DO UPDATE SET last_activity_at = now(),
         identifiers = CASE WHEN jsonb_array_length(EXCLUDED.identifiers) > jsonb_array_length(conversations.identifiers)
           THEN EXCLUDED.identifiers ELSE conversations.identifiers END,
         status = CASE WHEN $6 THEN 'open' ELSE conversations.status END
       RETURNING id, (SELECT status FROM conversations c WHERE c.id = conversations.id) AS previous_status`,
      [uuidv7(), message.accountId, message.channel, message.visitorKey, JSON.stringify(message.identifiers),
        message.author === 'visitor'],
    ) as { id: string; previous_status: string | null }[];
    // The sub-select reads the statement's snapshot: the status before this upsert (null for a new conversation).
    return { id: row!.id, reopened: message.author === 'visitor' && row!.previous_status === 'closed' };
  }

  private async moveIdleDeadline(tx: EntityManager, accountId: string, conversationId: string): Promise<void> {
    const account = await this.accounts.account(accountId, tx);
    const windowSeconds = account?.idleWindowSeconds ?? 180;
    await tx.query(
      `UPDATE conversations SET idle_deadline = now() + ($2::int * interval '1 second') WHERE id = $1`,
      [conversationId, windowSeconds],
    );
  }

  private async reopen(tx: EntityManager, message: InboundMessage, conversationId: string): Promise<void> {
    await tx.insert(ConversationEventRecord, {
      id: uuidv7(), accountId: message.accountId, conversationId, kind: 'reopened', data: {}, createdAt: new Date(),
    });
    await this.outbox.add(tx, ConversationReopenedEvent, {
      accountId: message.accountId, conversationId, channel: message.channel, reopenedAt: new Date().toISOString(),
    }, conversationId);
  }
}

class DuplicateMessage extends Error {
  constructor(readonly recorded: RecordedMessage) {
    super('message already stored');
  }
}
