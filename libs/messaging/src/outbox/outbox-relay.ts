import { queryPrepared, runTransaction } from '@leadline/persistence';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { toNatsHeaders } from '../cloud-event';
import { MessagingMetrics } from '../messaging.metrics';
import { DEFAULT_OUTBOX_SETTINGS, MESSAGING_OPTIONS, type MessagingOptions, type OutboxSettings } from '../messaging.options';
import { JETSTREAM_CLIENT } from '../nats.providers';
import type { OutboxEntry } from './outbox';
import { contextFromHeaders, currentTraceHeaders } from '../trace-context';

interface PendingRow {
  id: string;
  subject: string;
  type: string;
  source: string;
  ce_subject: string | null;
  /** Parsed jsonb from a claimed row, or the JSON text of an event this process just committed. */
  payload: unknown;
  trace_headers: Record<string, string>;
  created_at: Date;
}

const tracer = trace.getTracer('leadline-messaging');

/**
 * Marks of events published at once are written together, at most this long after their publish. Below capacity
 * consumers handle events one or two at a time, and a 5 ms window still cost one UPDATE (and commit) per event;
 * 50 ms gathers them. Until marked, a row stays reserved (the relay leaves it alone), and stop() marks what is left.
 */
const MARK_COALESCE_MS = 50;

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
  /** Events published at once by publishCommitted, waiting for their sent mark. */
  private readonly toMark = new Set<string>();
  /** Direct publishes under way: stop() waits for them, then marks them. */
  private readonly publishing = new Set<Promise<void>>();
  /** Events this process publishes itself (reserved as their transaction writes them, until marked): its relay rounds leave them alone. */
  private readonly publishingDirectly = new Set<string>();
  private marking: Promise<void> = Promise.resolve();
  private markScheduled = false;

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
    await Promise.all(this.publishing);
    await this.markSent();
  }

  /** A transaction with events committed: publish now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Called in the transaction that writes them: this process will publish these itself once it commits. */
  reserve(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) this.publishingDirectly.add(entry.id);
  }

  /** The transaction that wrote them failed: they do not exist. */
  release(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) this.publishingDirectly.delete(entry.id);
  }

  /**
   * Publishes events this process has just committed (their rows are in hand: Outbox.takeHeld), without a relay round
   * to claim them: that round was a transaction of its own for every batch a consumer handled. They are marked sent
   * together a moment later, in one statement. Should another relay claim one meanwhile, or this process die before
   * the mark, the row is published again and JetStream's de-duplication window (or the consumers' inbox) drops the
   * repeat, exactly as when a relay dies between publishing and committing its mark. A failed publish is left to
   * the relay.
   */
  async publishCommitted(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const publishing = this.publishNow(entries);
    this.publishing.add(publishing);
    try {
      await publishing;
    } finally {
      this.publishing.delete(publishing);
    }
  }

  private async publishNow(entries: readonly OutboxEntry[]): Promise<void> {
    const rows = [...entries].sort(byId).map((entry): PendingRow => ({
      id: entry.id, subject: entry.subject, type: entry.type, source: entry.source, ce_subject: entry.ceSubject,
      payload: entry.payload, trace_headers: JSON.parse(entry.traceHeaders) as Record<string, string>, created_at: entry.createdAt,
    }));
    try {
      await Promise.all(rows.map((row) => this.publish(row)));
    } catch (error) {
      this.logger.warn(`publishing ${rows.length} committed event(s) at once failed, the relay will: ${(error as Error).message}`);
      this.release(entries);
      this.kick();
      return;
    }
    for (const row of rows) this.toMark.add(row.id);
    this.markSoon();
  }

  private markSoon(): void {
    if (this.markScheduled) return;
    this.markScheduled = true;
    setTimeout(() => {
      this.markScheduled = false;
      void this.markSent();
    }, MARK_COALESCE_MS);
  }

  /** One statement for every event published at once since the last mark; one at a time, in order. */
  private markSent(): Promise<void> {
    this.marking = this.marking.then(async () => {
      const ids = [...this.toMark];
      if (ids.length === 0) return;
      this.toMark.clear();
      try {
        await queryPrepared(this.dataSource.manager, 'UPDATE outbox_events SET sent_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL', [ids]);
      } catch (error) {
        // Unmarked rows are published again by the relay and dropped as repeats: nothing is lost.
        this.logger.warn(`marking ${ids.length} event(s) sent failed, the relay will publish them again: ${(error as Error).message}`);
      } finally {
        for (const id of ids) this.publishingDirectly.delete(id);
      }
    });
    return this.marking;
  }

  /**
   * Publishes one batch; returns how many rows it sent. The rows are claimed and marked sent in one statement,
   * but the mark commits only after every publish is acknowledged: a failed publish rolls it back, and the
   * row locks keep other relays off the rows meanwhile. One statement instead of a SELECT and an UPDATE saves a
   * round trip per round, which is most of what a relay round costs the database.
   */
  async relayOnce(): Promise<number> {
    return runTransaction(this.dataSource, async (tx) => {
      const claimed = await queryPrepared<PendingRow>(tx,
        `UPDATE outbox_events SET sent_at = now() WHERE id IN (
           SELECT id FROM outbox_events WHERE sent_at IS NULL AND id <> ALL($2::uuid[]) ORDER BY id LIMIT $1
           FOR UPDATE SKIP LOCKED)
         RETURNING id, subject, type, source, ce_subject, payload, trace_headers, created_at`,
        [this.settings.batchSize, [...this.publishingDirectly]],
      );
      if (claimed.length === 0) return 0;
      // Event ids are UUIDv7: sorting them restores commit order, which RETURNING does not promise.
      const rows = claimed.sort(byId);
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
      const body = typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload);
      await this.js.publish(row.subject, body, { msgID: row.id, headers });
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

/** Event ids are UUIDv7: id order is the order they were queued in. */
function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
