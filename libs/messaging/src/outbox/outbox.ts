import { validateEvent, type EventDefinition } from '@leadline/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options';
import { SubjectNaming } from '../subjects';
import { currentTraceHeaders } from '../trace-context';

/** PostgreSQL takes at most 65,535 parameters in a statement; eight per row. */
const MAX_ROWS_PER_INSERT = 1000;

export interface OutboxEntry {
  id: string;
  subject: string;
  type: string;
  source: string;
  ceSubject: string | null;
  payload: string;
  traceHeaders: string;
  /** When it was queued: the row's created_at and the CloudEvents time, whichever way it is published. */
  createdAt: Date;
}

/**
 * Records events in the same transaction as the state change that causes them.
 * Nothing is published here: the relay publishes only what was committed.
 */
@Injectable()
export class Outbox {
  private readonly naming: SubjectNaming;
  /** Events queued by transactions that hold them until flush; a finished transaction's entry goes with it. */
  private readonly held = new WeakMap<EntityManager, OutboxEntry[]>();

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {
    this.naming = new SubjectNaming(options.subjectPrefix);
  }

  /** Validates the payload against its contract and queues it; returns the event id. */
  async add<T extends object>(
    tx: EntityManager, definition: EventDefinition<T>, payload: T, ceSubject?: string,
  ): Promise<string> {
    const [id] = await this.addMany(tx, definition, [{ payload, ceSubject }]);
    return id!;
  }

  async addMany<T extends object>(
    tx: EntityManager, definition: EventDefinition<T>, events: { payload: T; ceSubject?: string | undefined }[],
  ): Promise<string[]> {
    if (events.length === 0) return [];
    const entries = events.map(({ payload, ceSubject }) => this.entry(definition, payload, ceSubject));
    const held = this.held.get(tx);
    if (held) held.push(...entries);
    else await this.insert(tx, entries);
    return entries.map((entry) => entry.id);
  }

  /**
   * From now on the events this transaction queues are held and written together by `flush`, one statement for
   * the whole transaction instead of one per event. UnitOfWork.commit does this for every unit of work and every
   * consumer batch (whose handlers queue many events); whoever holds must call `flush` before the commit.
   */
  holdUntilFlush(tx: EntityManager): void {
    this.held.set(tx, []);
  }

  /**
   * Writes the events held for this transaction (see holdUntilFlush) and stops holding them. Returns them: once the
   * transaction has committed, the caller may hand them to `OutboxRelay.publishCommitted` to publish at once.
   */
  async flush(tx: EntityManager): Promise<OutboxEntry[]> {
    const entries = this.held.get(tx) ?? [];
    this.held.delete(tx);
    for (let start = 0; start < entries.length; start += MAX_ROWS_PER_INSERT) {
      await this.insert(tx, entries.slice(start, start + MAX_ROWS_PER_INSERT));
    }
    return entries;
  }

  private async insert(tx: EntityManager, entries: OutboxEntry[]): Promise<void> {
    const values: unknown[] = [];
    const rows = entries.map((entry, i) => {
      values.push(entry.id, entry.subject, entry.type, entry.source, entry.ceSubject, entry.payload, entry.traceHeaders, entry.createdAt);
      const p = i * 8;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb, $${p + 7}::jsonb, $${p + 8})`;
    });
    await tx.query(
      `INSERT INTO outbox_events (id, subject, type, source, ce_subject, payload, trace_headers, created_at) VALUES ${rows.join(', ')}`,
      values,
    );
  }

  private entry<T extends object>(definition: EventDefinition<T>, payload: T, ceSubject?: string): OutboxEntry {
    validateEvent(definition, payload);
    return {
      id: uuidv7(),
      subject: this.naming.subject(definition.subject),
      type: definition.type,
      source: this.options.serviceName,
      ceSubject: ceSubject ?? null,
      payload: JSON.stringify(payload),
      traceHeaders: JSON.stringify(currentTraceHeaders()),
      createdAt: new Date(),
    };
  }
}
