import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { currentTraceHeaders, MESSAGING_OPTIONS, OutboxRelay, SubjectNaming, type MessagingOptions } from '@leadline/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { v7 as uuidv7 } from 'uuid';
import { IngestionConfig } from '../ingestion.config';
import type { InboundMessage, RecordedMessage } from './inbound-message';
import { RECORD_VISITOR_MESSAGES, type VisitorMessageRow } from './visitor-message-statement';

/** Pool connections left to the relay, the idle scheduler, the consumers and the API while batches are written. */
const CONNECTIONS_KEPT_FREE = 2;
const MAX_BATCH = 64;
const MAX_ATTEMPTS = 5;
const RELAY_COALESCE_MS = 20;

interface Pending {
  row: unknown[];
  messageId: string;
  providerMessageId: string;
  /** Passed beside the row's columns: the statement's parameter $25 (after the event subjects and types). */
  channelAddress: string | null;
  attempts: number;
  resolve: (recorded: RecordedMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes visitors' messages with the one statement of visitor-message-statement.ts, grouping messages (group
 * commit): those that arrive in one turn of the event loop, and those that arrive while earlier batches are being
 * written, go out together. At low traffic a message is written at once and alone; under load one round trip and
 * one commit store many, which is what keeps this path near a bare INSERT's throughput (bench/ingestion). Each
 * caller is answered only after the commit of the batch holding its message. A batch that fails is retried
 * message by message, so one bad message fails alone.
 */
@Injectable()
export class VisitorMessageWriter {
  private readonly logger = new Logger(VisitorMessageWriter.name);
  private readonly naming: SubjectNaming;
  private readonly queue: Pending[] = [];
  /** Messages of a failed batch: each written alone, so a bad one cannot fail the others again. */
  private readonly alone: Pending[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private relayKickPending = false;
  private pumpScheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
    config: IngestionConfig,
  ) {
    this.naming = new SubjectNaming(messaging.subjectPrefix);
    this.maxInFlight = Math.max(1, config.DB_POOL_SIZE - CONNECTIONS_KEPT_FREE);
  }

  write(message: InboundMessage, idleWindowSeconds: number): Promise<RecordedMessage> {
    const { row, messageId } = this.rowOf(message, idleWindowSeconds);
    return new Promise((resolve, reject) => {
      this.queue.push({
        row, messageId, providerMessageId: message.providerMessageId, channelAddress: message.channelAddress ?? null,
        attempts: 0, resolve, reject,
      });
      this.pumpSoon();
    });
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
    while (this.inFlight < this.maxInFlight && (this.alone.length > 0 || this.queue.length > 0)) {
      const batch = this.alone.length > 0 ? [this.alone.shift()!] : this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    let rows: VisitorMessageRow[];
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
      const pending = batch[row.n - 1]!;
      if (row.stored_conversation_id) {
        stored = true;
        pending.resolve({ conversationId: row.stored_conversation_id, messageId: pending.messageId, duplicate: false });
      } else if (row.existing_message_id) {
        pending.resolve({ conversationId: row.existing_conversation_id!, messageId: row.existing_message_id, duplicate: true });
      } else if (pending.attempts + 1 < MAX_ATTEMPTS) {
        // Its provider id twice in this batch, or its new conversation created at the same moment elsewhere.
        this.queue.push({ ...pending, attempts: pending.attempts + 1 });
      } else {
        pending.reject(new Error(`could not store message ${pending.providerMessageId}: its conversation kept changing under it`));
      }
    }
    if (stored) this.kickRelaySoon();
  }

  private async execute(batch: Pending[]): Promise<VisitorMessageRow[]> {
    const columns = batch[0]!.row.map((_, column) => batch.map((pending) => pending.row[column]));
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<VisitorMessageRow>({
      name: 'ingestion-record-visitor-messages', text: RECORD_VISITOR_MESSAGES,
      values: [
        ...columns,
        this.naming.subject(MessageReceivedEvent.subject), MessageReceivedEvent.type, this.messaging.serviceName,
        this.naming.subject(ConversationReopenedEvent.subject), ConversationReopenedEvent.type,
        batch.map((pending) => pending.channelAddress),
      ],
    });
    return rows;
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

  /** One message as the statement's 19 per-message columns, in their order. */
  private rowOf(m: InboundMessage, windowSeconds: number): { row: unknown[]; messageId: string } {
    const messageId = uuidv7();
    return {
      messageId,
      row: [
        m.accountId, m.channel, m.visitorKey, JSON.stringify(m.identifiers), uuidv7(), messageId, m.author, m.text,
        m.providerMessageId, m.sentAt, m.subject ?? null, m.quotedText ?? null, m.signatureText ?? null,
        JSON.stringify(m.attachments ?? []), JSON.stringify(currentTraceHeaders()), windowSeconds,
        uuidv7(), uuidv7(), uuidv7(),
      ],
    };
  }
}
