import { ConversationIdleEvent, type AccountUpdated } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { queryEntitiesWithRows, queryPrepared, withGenericPlan } from '@leadline/persistence';
import {
  Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';
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
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /**
   * Emits the idle events that are due; returns how many. Three round trips (this scan's time is part of every
   * idle event's way to its notification): the due conversations locked and read with their accounts, then their
   * transcripts read as they are stamped idle, then the events queued as the transaction commits.
   */
  async scanOnce(): Promise<number> {
    return this.unitOfWork.run(async (tx) => {
      const due = await queryEntitiesWithRows<Conversation, { account_settings: AccountUpdated | null }>(tx, Conversation, DUE_CONVERSATIONS, [this.config.IDLE_SCAN_BATCH]);
      if (due.length === 0) return 0;
      const transcripts = await queryPrepared<TranscriptRow>(tx, STAMP_IDLE_AND_READ_TRANSCRIPTS, [due.map(({ entity }) => entity.id)]);
      await this.emit(tx, due.map(({ entity, row }) => ({ conversation: entity, account: row.account_settings ?? undefined })), transcripts.map(toMessage));
      return due.length;
    });
  }

  /** One idle event per conversation, each queued under its own span linking the messages it covers. */
  private async emit(tx: EntityManager, due: DueConversation[], messages: ConversationMessage[]): Promise<void> {
    const now = new Date();
    const byConversation = new Map<string, ConversationMessage[]>();
    for (const message of messages) {
      const list = byConversation.get(message.conversationId);
      if (list) list.push(message);
      else byConversation.set(message.conversationId, [message]);
    }
    for (const { conversation, account } of due) {
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

/**
 * The due conversations, oldest deadline first, locked (SKIP LOCKED: every replica scans at once without two taking
 * one) and read by the locking scan itself, so each is its newest version, with its account's settings.
 */
const DUE_CONVERSATIONS = `
  SELECT c.*, s.settings AS account_settings
  FROM conversations c LEFT JOIN account_snapshots s ON s.account_id = c.account_id
  WHERE c.idle_deadline <= now() ORDER BY c.idle_deadline LIMIT $1 FOR UPDATE OF c SKIP LOCKED`;

/**
 * The locked conversations' messages in order, each marked new when stored since the last idle event, as the
 * conversations are stamped idle. One statement reads one snapshot and computes clock_timestamp() after taking it:
 * every message read was stored before last_idle_at, and every message not read (its writer waits for the row
 * lock taken above) is stored after it. The SELECT sees last_idle_at as it was before the stamp. Both tables are
 * narrowed by the ids, or the planner may hash-join a whole table into the scan (7 ms at 8,400 messages and growing);
 * so narrowed, its generic plan is index probes, and a plan per scan was a third of its runs' time.
 */
const STAMP_IDLE_AND_READ_TRANSCRIPTS = withGenericPlan(`
  WITH stamped AS (
    UPDATE conversations SET idle_deadline = NULL, idle_cycle = idle_cycle + 1, last_idle_at = clock_timestamp()
    WHERE id = ANY($1::uuid[]))
  SELECT m.id, m.conversation_id, m.author, m.member_id, m.text, m.sent_at, m.trace_headers,
         m.created_at > coalesce(c.last_idle_at, '-infinity') AS is_new
  FROM conversations c JOIN messages m ON m.conversation_id = c.id
  WHERE c.id = ANY($1::uuid[]) AND m.conversation_id = ANY($1::uuid[])
  ORDER BY m.conversation_id, m.created_at, m.id`);

interface DueConversation {
  conversation: Conversation;
  account: AccountUpdated | undefined;
}

type ConversationMessage = IdleTranscriptMessage & { conversationId: string };

function toMessage(row: TranscriptRow): ConversationMessage {
  return {
    id: row.id, conversationId: row.conversation_id, author: row.author, memberId: row.member_id, text: row.text,
    sentAt: row.sent_at, isNew: row.is_new, traceHeaders: row.trace_headers ?? {},
  };
}

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
