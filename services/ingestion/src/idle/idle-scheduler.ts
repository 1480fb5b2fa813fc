import { ConversationIdleEvent, type AccountUpdated } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import {
  Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { In, type EntityManager } from 'typeorm';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { Conversation } from '../conversations/conversation.entity';
import { IngestionConfig } from '../ingestion.config';
import { conversationIdlePayload, type IdleTranscriptMessage } from './idle-event';
import { startIdleSpan } from './idle-trace';

/**
 * Publishes `conversation.idle` once per quiet period. The deadline is set only by visitor messages and
 * cleared in the same transaction that queues the event, so a restart neither loses nor repeats one;
 * `FOR UPDATE SKIP LOCKED` lets every replica scan at once without two taking the same conversation.
 */
@Injectable()
export class IdleScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdleScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly config: IngestionConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly accounts: AccountDirectory,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /** Emits the idle events that are due; returns how many. */
  async scanOnce(): Promise<number> {
    return this.unitOfWork.run(async (tx) => {
      const due = await queryPrepared<{ id: string }>(tx,
        `SELECT id FROM conversations WHERE idle_deadline <= now() ORDER BY idle_deadline
         LIMIT $1 FOR UPDATE SKIP LOCKED`, [this.config.IDLE_SCAN_BATCH]);
      if (due.length === 0) return 0;
      const ids = due.map((row) => row.id);
      const conversations = await tx.findBy(Conversation, { id: In(ids) });
      await this.emit(tx, conversations, await this.transcripts(tx, ids));
      // clock_timestamp(), not the transaction's start: every message read above was stored before this moment,
      // and every message not read (its writer waited for the row lock taken above) is stored after it.
      await queryPrepared(tx,
        `UPDATE conversations SET idle_deadline = NULL, idle_cycle = idle_cycle + 1, last_idle_at = clock_timestamp()
         WHERE id = ANY($1::uuid[])`, [ids]);
      return ids.length;
    });
  }

  /** The locked conversations' messages in order, each marked new when stored since the last idle event. */
  private async transcripts(tx: EntityManager, ids: string[]): Promise<ConversationMessage[]> {
    const rows = await queryPrepared<TranscriptRow>(tx,
      `SELECT m.id, m.conversation_id, m.author, m.member_id, m.text, m.sent_at, m.trace_headers,
              m.created_at > coalesce(c.last_idle_at, '-infinity') AS is_new
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.conversation_id = ANY($1::uuid[]) ORDER BY m.conversation_id, m.created_at, m.id`, [ids]);
    return rows.map((row) => ({
      id: row.id, conversationId: row.conversation_id, author: row.author, memberId: row.member_id, text: row.text,
      sentAt: row.sent_at, isNew: row.is_new, traceHeaders: row.trace_headers ?? {},
    }));
  }

  /** One idle event per conversation, each queued under its own span linking the messages it covers. */
  private async emit(tx: EntityManager, conversations: Conversation[], messages: ConversationMessage[]): Promise<void> {
    const now = new Date();
    const byConversation = new Map<string, ConversationMessage[]>();
    for (const message of messages) {
      const list = byConversation.get(message.conversationId);
      if (list) list.push(message);
      else byConversation.set(message.conversationId, [message]);
    }
    const accounts = new Map<string, AccountUpdated | undefined>();
    for (const conversation of conversations) {
      if (!accounts.has(conversation.accountId)) accounts.set(conversation.accountId, await this.accounts.account(conversation.accountId, tx));
      const account = accounts.get(conversation.accountId);
      if (account && !account.active) continue; // an inactive account captures nothing
      const transcript = byConversation.get(conversation.id) ?? [];
      const payload = conversationIdlePayload(conversation, transcript, account, this.config.PUBLIC_APP_URL, now);
      const covered = transcript.filter((message) => message.isNew);
      const lastVisitorMessageAt = covered.filter((m) => m.author === 'visitor').at(-1)?.sentAt;
      const { span, context: spanContext } = startIdleSpan(conversation.id, payload.cycle, covered.map((m) => m.traceHeaders), lastVisitorMessageAt);
      try {
        // The outbox stores the active trace context with the event: the relay's publish span becomes this one's child.
        await context.with(spanContext, () => this.outbox.add(tx, ConversationIdleEvent, payload, conversation.id));
      } finally {
        span.end();
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scanUntilCaughtUp().finally(() => this.schedule());
    }, this.config.IDLE_SCAN_INTERVAL_MS);
  }

  private async scanUntilCaughtUp(): Promise<void> {
    try {
      while (!this.stopped && (await this.scanOnce()) === this.config.IDLE_SCAN_BATCH);
    } catch (error) {
      this.logger.error(`idle scan failed, will retry: ${(error as Error).message}`);
    }
  }
}

type ConversationMessage = IdleTranscriptMessage & { conversationId: string };

interface TranscriptRow {
  id: string;
  conversation_id: string;
  author: IdleTranscriptMessage['author'];
  member_id: string | null;
  text: string;
  sent_at: Date;
  trace_headers: Record<string, string> | null;
  is_new: boolean;
}
