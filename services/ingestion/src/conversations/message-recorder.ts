import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { currentTraceHeaders, Outbox, UnitOfWork } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { ConversationEventRecord } from './conversation-event.entity';
import type { InboundMessage, RecordedBatch, RecordedMessage } from './inbound-message';
import { ReplyWriter, type Reply } from './reply-writer';
import { VisitorMessageWriter } from './visitor-message-writer';

const DEFAULT_IDLE_WINDOW_SECONDS = 180;

interface TouchedConversation {
  id: string;
  closed: boolean;
}

/**
 * Stores messages exactly once, in one transaction with their conversation (opened, reopened or touched), the
 * idle deadline and the events they cause: a repeated provider id changes nothing and nothing is half-stored.
 */
@Injectable()
export class MessageRecorder {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly accounts: AccountDirectory,
    private readonly dataSource: DataSource,
    private readonly writer: VisitorMessageWriter,
    private readonly replies: ReplyWriter,
  ) {}

  /** An AI's or agent's reply in the conversation it names: the one-statement path of reply-writer.ts. */
  recordReply(reply: Reply): Promise<RecordedMessage> {
    return this.replies.write(reply);
  }

  /** One message found its conversation by visitor key; a visitor's takes the one-statement path. */
  async record(message: InboundMessage): Promise<RecordedMessage> {
    if (message.author === 'visitor') return this.recordVisitorMessage(message);
    const batch = await this.recordAll([message]);
    if (batch.messageIds.length === 1) return { conversationId: batch.conversationId, messageId: batch.messageIds[0]!, duplicate: false };
    return { conversationId: batch.conversationId, messageId: batch.existingIds[0]!, duplicate: true };
  }

  /** Messages of one conversation (a call's turns), stored together; repeats among them are skipped. */
  recordAll(messages: InboundMessage[]): Promise<RecordedBatch & { existingIds: string[] }> {
    const first = messages[0];
    if (!first) throw new Error('recordAll needs at least one message');
    const traceHeaders = JSON.stringify(currentTraceHeaders());
    return this.unitOfWork.run(async (tx) => {
      const window = first.idleWindowSeconds ?? await this.idleWindow(tx, first.accountId);
      const conversation = await this.upsertConversation(tx, first);
      const stored = await this.insertMessages(tx, conversation.id, messages, window, traceHeaders);
      if (stored.size === 0) {
        // Rolls back the touch of last activity: a repeat changes nothing.
        const existing = await this.existing(tx, first, messages);
        throw new AllDuplicates(existing.map((row) => row.id), existing[0]?.conversation_id ?? conversation.id);
      }
      const storedMessages = messages.filter((m) => stored.has(m.providerMessageId));
      // Only a new message from the visitor reopens: not the AI's next turn, nor a repeat of an old one.
      if (conversation.closed && storedMessages.some((m) => m.author === 'visitor')) {
        await this.reopen(tx, first, conversation.id);
      }
      await this.outbox.addMany(tx, MessageReceivedEvent, storedMessages.map((m) => ({
        payload: {
          accountId: m.accountId, conversationId: conversation.id, messageId: stored.get(m.providerMessageId)!,
          channel: m.channel, author: m.author, ...(m.memberId ? { memberId: m.memberId } : {}), text: m.text,
          sentAt: m.sentAt.toISOString(),
        },
        ceSubject: conversation.id,
      })));
      return {
        conversationId: conversation.id,
        messageIds: storedMessages.map((m) => stored.get(m.providerMessageId)!),
        duplicates: messages.length - stored.size,
        existingIds: [],
      };
    }).catch((error: unknown) => {
      if (error instanceof AllDuplicates) {
        return { conversationId: error.conversationId, messageIds: [], duplicates: messages.length, existingIds: error.existingIds };
      }
      throw error;
    });
  }

  /** The hot path of every channel: see visitor-message-writer.ts. */
  private async recordVisitorMessage(message: InboundMessage): Promise<RecordedMessage> {
    const window = message.idleWindowSeconds ?? await this.idleWindow(this.dataSource.manager, message.accountId);
    return this.writer.write(message, window);
  }

  private async idleWindow(tx: EntityManager, accountId: string): Promise<number> {
    return (await this.accounts.account(accountId, tx))?.idleWindowSeconds ?? DEFAULT_IDLE_WINDOW_SECONDS;
  }

  /**
   * Opens the visitor's conversation or touches it, locking it for the transaction. Its status is left as it was:
   * whether a closed one reopens depends on which messages turn out to be new.
   */
  private async upsertConversation(tx: EntityManager, message: InboundMessage): Promise<TouchedConversation> {
    const [row] = await tx.query(
      `INSERT INTO conversations (id, account_id, channel, visitor_key, identifiers, channel_address)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (account_id, channel, visitor_key) WHERE detached_at IS NULL DO UPDATE SET last_activity_at = now(),
         identifiers = (SELECT coalesce(jsonb_agg(DISTINCT i), '[]'::jsonb)
                        FROM jsonb_array_elements(conversations.identifiers || EXCLUDED.identifiers) i)
       RETURNING id, status`,
      [uuidv7(), message.accountId, message.channel, message.visitorKey, JSON.stringify(message.identifiers), message.channelAddress ?? null],
    ) as { id: string; status: string }[];
    return { id: row!.id, closed: row!.status === 'closed' };
  }

  /**
   * Inserts the messages (a repeat provider id is skipped) and, when a visitor message was stored, moves the idle
   * deadline, in one statement. created_at is the moment of the insert, after the conversation's lock was taken
   * (see idle-scheduler.ts); in the order given. Returns provider id -> new message id for those stored.
   */
  private async insertMessages(
    tx: EntityManager, conversationId: string, messages: InboundMessage[], windowSeconds: number, traceHeaders: string,
  ): Promise<Map<string, string>> {
    const values: unknown[] = [conversationId, windowSeconds];
    const rows = messages.map((m) => {
      const base = values.length;
      values.push(uuidv7(), m.accountId, m.channel, m.author, m.memberId ?? null, m.text, m.providerMessageId, m.sentAt,
        m.subject ?? null, m.quotedText ?? null, m.signatureText ?? null, JSON.stringify(m.attachments ?? []), traceHeaders);
      const p = (i: number) => `$${base + i}`;
      return `(${p(1)}::uuid, ${p(2)}::uuid, $1::uuid, ${p(3)}, ${p(4)}, ${p(5)}::uuid, ${p(6)}, ${p(7)}, ${p(8)}::timestamptz,
        ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::jsonb, ${p(13)}::jsonb, clock_timestamp())`;
    });
    const stored = await tx.query(
      `WITH inserted AS (
         INSERT INTO messages (id, account_id, conversation_id, channel, author, member_id, text, provider_message_id,
           sent_at, subject, quoted_text, signature_text, attachments, trace_headers, created_at)
         VALUES ${rows.join(', ')}
         ON CONFLICT (account_id, channel, provider_message_id) DO NOTHING
         RETURNING id, provider_message_id, author),
       moved AS (
         UPDATE conversations SET idle_deadline = now() + ($2::int * interval '1 second')
         WHERE id = $1 AND EXISTS (SELECT 1 FROM inserted WHERE author = 'visitor') RETURNING id)
       SELECT id, provider_message_id FROM inserted`, values) as { id: string; provider_message_id: string }[];
    return new Map(stored.map((row) => [row.provider_message_id, row.id]));
  }

  private async existing(tx: EntityManager, first: InboundMessage, messages: InboundMessage[]) {
    return await tx.query(
      `SELECT id, conversation_id FROM messages WHERE account_id = $1 AND channel = $2 AND provider_message_id = ANY($3::text[])
       ORDER BY created_at, id`,
      [first.accountId, first.channel, messages.map((m) => m.providerMessageId)]) as { id: string; conversation_id: string }[];
  }

  private async reopen(tx: EntityManager, message: InboundMessage, conversationId: string): Promise<void> {
    await tx.query(`UPDATE conversations SET status = 'open', closed_at = NULL WHERE id = $1`, [conversationId]);
    await tx.insert(ConversationEventRecord, {
      id: uuidv7(), accountId: message.accountId, conversationId, kind: 'reopened', data: {}, createdAt: new Date(),
    });
    await this.outbox.add(tx, ConversationReopenedEvent, {
      accountId: message.accountId, conversationId, channel: message.channel, reopenedAt: new Date().toISOString(),
    }, conversationId);
  }
}

/** Every message was a repeat: thrown to roll the transaction back, answered as a duplicate. */
class AllDuplicates extends Error {
  constructor(readonly existingIds: string[], readonly conversationId: string) {
    super('every message was already stored');
  }
}
