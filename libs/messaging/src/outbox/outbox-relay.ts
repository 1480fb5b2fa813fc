import type { JetStreamClient } from '@nats-io/jetstream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { toNatsHeaders } from '../cloud-event';
import { MessagingMetrics } from '../messaging.metrics';
import { DEFAULT_OUTBOX_SETTINGS, MESSAGING_OPTIONS, type MessagingOptions, type OutboxSettings } from '../messaging.options';
import { JETSTREAM_CLIENT } from '../nats.providers';
import { contextFromHeaders, currentTraceHeaders } from '../trace-context';

interface PendingRow {
  id: string;
  subject: string;
  type: string;
  source: string;
  ce_subject: string | null;
  payload: unknown;
  trace_headers: Record<string, string>;
  created_at: Date;
}

const tracer = trace.getTracer('leadline-messaging');

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id, then marks them sent.
 * `FOR UPDATE SKIP LOCKED` lets any number of replicas relay at once without publishing a row twice;
 * should a relay die between publishing and marking, JetStream's de-duplication window drops the repeat.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: OutboxSettings;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(JETSTREAM_CLIENT) private readonly js: JetStreamClient,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    private readonly metrics: MessagingMetrics,
  ) {
    this.settings = { ...DEFAULT_OUTBOX_SETTINGS, ...options.outbox };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** A transaction with events committed: publish now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Publishes one batch; returns how many rows it sent. The rows are claimed and marked sent in one statement,
   * but the mark commits only after every publish is acknowledged: a failed publish rolls it back, and the
   * row locks keep other relays off the rows meanwhile. One statement instead of a SELECT and an UPDATE saves a
   * round trip per round, which is most of what a relay round costs the database.
   */
  async relayOnce(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const claimed: PendingRow[] = await tx.query(
        `UPDATE outbox_events SET sent_at = now() WHERE id IN (
           SELECT id FROM outbox_events WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, subject, type, source, ce_subject, payload, trace_headers, created_at`,
        [this.settings.batchSize],
      ).then((result: PendingRow[] | [PendingRow[], number]) => rowsOf(result));
      if (claimed.length === 0) return 0;
      // Event ids are UUIDv7: sorting them restores commit order, which RETURNING does not promise.
      const rows = claimed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // One connection keeps publish order; awaiting the acks together is where the throughput comes from.
      await Promise.all(rows.map((row) => this.publish(row)));
      return rows.length;
    });
  }

  private async publish(row: PendingRow): Promise<void> {
    const parent = contextFromHeaders(row.trace_headers ?? {});
    const span = tracer.startSpan(`publish ${row.type}`, {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': row.subject, 'messaging.message.id': row.id },
    }, parent);
    try {
      const headers = context.with(trace.setSpan(parent, span), () => toNatsHeaders({
        id: row.id, type: row.type, source: row.source, time: row.created_at.toISOString(), subject: row.ce_subject,
      }, currentTraceHeaders()));
      await this.js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, headers });
      this.metrics.published(row.type);
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      span.end();
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.kicked = false;
      try {
        const sent = await this.relayOnce();
        failures = 0;
        await this.cleanupSometimes();
        if (sent === this.settings.batchSize) continue;
      } catch (error) {
        failures += 1;
        this.logger.warn(`outbox relay failed (attempt ${failures}), retrying: ${(error as Error).message}`);
      }
      if (!this.kicked && this.running) {
        const delay = failures > 0 ? Math.min(10_000, 200 * 2 ** failures) : this.settings.pollIntervalMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
        this.wake = undefined;
      }
    }
  }

  private async cleanupSometimes(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.dataSource.query(
      `DELETE FROM outbox_events WHERE sent_at IS NOT NULL AND sent_at < now() - ($1::int * interval '1 millisecond')`,
      [this.settings.retainSentMs],
    );
  }
}

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with `[rows, affected]`. */
function rowsOf(result: PendingRow[] | [PendingRow[], number]): PendingRow[] {
  return Array.isArray(result[0]) ? (result[0] as PendingRow[]) : (result as PendingRow[]);
}
