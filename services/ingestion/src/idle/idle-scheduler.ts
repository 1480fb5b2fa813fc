import { ConversationIdleEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import {
  Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { In, type EntityManager } from 'typeorm';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { Conversation } from '../conversations/conversation.entity';
import { Message } from '../conversations/message.entity';
import { IngestionConfig } from '../ingestion.config';
import { conversationIdlePayload } from './idle-event';
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
      const due = await tx.query(
        `SELECT id FROM conversations WHERE idle_deadline <= now() ORDER BY idle_deadline
         LIMIT $1 FOR UPDATE SKIP LOCKED`, [this.config.IDLE_SCAN_BATCH]) as { id: string }[];
      if (due.length === 0) return 0;
      const ids = due.map((row) => row.id);
      const conversations = await tx.findBy(Conversation, { id: In(ids) });
      const messages = await tx.getRepository(Message).createQueryBuilder('m').addSelect('m.traceHeaders')
        .where('m.conversationId IN (:...ids)', { ids }).orderBy('m.createdAt', 'ASC').addOrderBy('m.id', 'ASC').getMany();
      await this.emit(tx, conversations, messages);
      await tx.query(
        `UPDATE conversations SET idle_deadline = NULL, idle_cycle = idle_cycle + 1, last_idle_at = now()
         WHERE id = ANY($1::uuid[])`, [ids]);
      return ids.length;
    });
  }

  /** One idle event per conversation, each queued under its own span linking the messages it covers. */
  private async emit(tx: EntityManager, conversations: Conversation[], messages: Message[]): Promise<void> {
    const now = new Date();
    for (const conversation of conversations) {
      const account = await this.accounts.account(conversation.accountId, tx);
      if (account && !account.active) continue; // an inactive account captures nothing
      const transcript = messages.filter((message) => message.conversationId === conversation.id);
      const payload = conversationIdlePayload(conversation, transcript, account, this.config.PUBLIC_APP_URL, now);
      const covered = transcript.filter((message) => payload.newMessageIds.includes(message.id));
      const { span, context: spanContext } = startIdleSpan(conversation.id, payload.cycle, covered.map((m) => m.traceHeaders ?? {}));
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
