import type { EventDefinition } from '@leadline/contracts';
import { MESSAGING_OPTIONS, OutboxRelay, SubjectNaming, type MessagingOptions } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IngestionConfig } from '../ingestion.config';
import type { RecordedMessage } from './inbound-message';

/** Pool connections left to the relay, the idle scheduler, the consumers and the API while batches are written. */
const CONNECTIONS_KEPT_FREE = 2;
const MAX_BATCH = 64;
const MAX_ATTEMPTS = 5;
const RELAY_COALESCE_MS = 20;

/** A message ready for its statement: its new id is chosen before it is written. */
export interface QueuedMessage {
  messageId: string;
  providerMessageId: string;
}

/** What a batch statement answers for each message of the batch, in the batch's order. */
export interface BatchRow {
  /** 1-based position of the message in the batch. */
  n: number;
  stored_conversation_id: string | null;
  existing_message_id: string | null;
  existing_conversation_id: string | null;
  /** The conversation a reply names does not exist in its account. */
  conversation_missing?: boolean;
}

/** What a statement writing outbox rows itself needs to address them as `Outbox.add` would. */
export interface OutboxAddress {
  subjectOf(definition: Pick<EventDefinition, 'subject'>): string;
  /** The service the events come from (CloudEvents source). */
  source: string;
}

/** One statement that stores a whole batch of messages, all or nothing (see visitor-message-statement.ts). */
export interface BatchStatement<M extends QueuedMessage> {
  /** Fixed text: prepared once per connection (queryPrepared). */
  readonly text: string;
  values(batch: M[], outbox: OutboxAddress): unknown[];
  /** The error for a message whose conversation is missing (statements that name one). */
  missing?(message: M): Error;
}

interface Pending<M extends QueuedMessage> {
  statement: BatchStatement<M>;
  message: M;
  attempts: number;
  resolve: (recorded: RecordedMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the message paths: messages that arrive in one turn of the event loop, and those that arrive
 * while earlier batches are being written, go out together as one statement of their kind (no BEGIN/COMMIT round
 * trips, one commit for the batch). At low traffic a message is written at once and alone; under load one round
 * trip stores many (bench/ingestion). Each caller is answered only after the commit of the batch holding its
 * message. A batch that fails is retried message by message, so one bad message fails alone. The kinds share the
 * connections this writer may hold, so together they never take the pool from the consumers.
 */
@Injectable()
export class GroupCommitWriter {
  private readonly logger = new Logger(GroupCommitWriter.name);
  /** One queue per statement, taken in turn so neither kind waits behind the other's backlog. */
  private readonly queues = new Map<BatchStatement<QueuedMessage>, Pending<QueuedMessage>[]>();
  /** Messages of a failed batch: each written alone, so a bad one cannot fail the others again. */
  private readonly alone: Pending<QueuedMessage>[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private relayKickPending = false;
  private pumpScheduled = false;
  private readonly outbox: OutboxAddress;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) messaging: MessagingOptions,
    config: IngestionConfig,
  ) {
    this.maxInFlight = Math.max(1, config.DB_POOL_SIZE - CONNECTIONS_KEPT_FREE);
    const naming = new SubjectNaming(messaging.subjectPrefix);
    this.outbox = { subjectOf: (definition) => naming.subject(definition.subject), source: messaging.serviceName };
  }

  write<M extends QueuedMessage>(statement: BatchStatement<M>, message: M): Promise<RecordedMessage> {
    return new Promise((resolve, reject) => {
      this.enqueue({ statement, message, attempts: 0, resolve, reject } as unknown as Pending<QueuedMessage>);
      this.pumpSoon();
    });
  }

  private enqueue(pending: Pending<QueuedMessage>): void {
    const queue = this.queues.get(pending.statement);
    if (queue) queue.push(pending);
    else this.queues.set(pending.statement, [pending]);
  }

  /**
   * Pumps once the event loop has handled every request that is ready now (setImmediate runs after the I/O
   * callbacks of this turn): a burst of requests read together is written as one batch, not one batch each.
   */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight) {
      const batch = this.alone.length > 0 ? [this.alone.shift()!] : this.nextBatch();
      if (!batch) return;
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest messages of the next statement with any waiting; that queue then goes to the back of the turn. */
  private nextBatch(): Pending<QueuedMessage>[] | undefined {
    for (const [statement, queue] of this.queues) {
      if (queue.length === 0) continue;
      const batch = queue.splice(0, MAX_BATCH);
      this.queues.delete(statement);
      this.queues.set(statement, queue);
      return batch;
    }
    return undefined;
  }

  private async flush(batch: Pending<QueuedMessage>[]): Promise<void> {
    let rows: BatchRow[];
    try {
      rows = await this.execute(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.logger.warn(`a batch of ${batch.length} messages failed, writing them one by one: ${(error as Error).message}`);
      this.alone.push(...batch);
      return;
    }
    let stored = false;
    for (const row of rows) {
      stored = this.settle(batch[row.n - 1]!, row) || stored;
    }
    if (stored) this.kickRelaySoon();
  }

  /** Answers the caller of one message from its row; returns whether the message was stored. */
  private settle(pending: Pending<QueuedMessage>, row: BatchRow): boolean {
    const { message, statement } = pending;
    if (row.stored_conversation_id) {
      pending.resolve({ conversationId: row.stored_conversation_id, messageId: message.messageId, duplicate: false });
      return true;
    }
    if (row.existing_message_id) {
      pending.resolve({ conversationId: row.existing_conversation_id!, messageId: row.existing_message_id, duplicate: true });
    } else if (row.conversation_missing && statement.missing) {
      pending.reject(statement.missing(message));
    } else if (pending.attempts + 1 < MAX_ATTEMPTS) {
      // Its provider id twice in this batch, or its new conversation created at the same moment elsewhere.
      this.enqueue({ ...pending, attempts: pending.attempts + 1 });
      this.pumpSoon();
    } else {
      pending.reject(new Error(`could not store message ${message.providerMessageId}: its conversation kept changing under it`));
    }
    return false;
  }

  private execute(batch: Pending<QueuedMessage>[]): Promise<BatchRow[]> {
    const statement = batch[0]!.statement;
    return queryPrepared<BatchRow>(this.dataSource.manager, statement.text,
      statement.values(batch.map((pending) => pending.message), this.outbox));
  }

  /**
   * Wakes the outbox relay at most once per RELAY_COALESCE_MS: under load one relay round then publishes the
   * events of many messages (one commit to mark them sent) instead of one round per message.
   */
  private kickRelaySoon(): void {
    if (this.relayKickPending) return;
    this.relayKickPending = true;
    setTimeout(() => {
      this.relayKickPending = false;
      this.relay.kick();
    }, RELAY_COALESCE_MS).unref();
  }
}
