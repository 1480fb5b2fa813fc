import { validateEvent, type EventDefinition } from '@leadline/contracts';
import { queryPrepared, type PreparedStatement } from '@leadline/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options';
import { SubjectNaming } from '../subjects';
import { currentTraceHeaders } from '../trace-context';

const INSERT_ENTRIES = `INSERT INTO outbox_events (id, subject, type, source, ce_subject, payload, trace_headers, created_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])`;

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
  /** Events queued by transactions that hold them until taken; a finished transaction's entry goes with it. */
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
   * From now on the events this transaction queues are held, to be written together by the statement `takeHeld`
   * answers: one for the whole transaction instead of one per event. UnitOfWork.commit does this for every unit of
   * work and every consumer batch (whose handlers queue many events), and runs that statement with the COMMIT.
   */
  holdUntilTaken(tx: EntityManager): void {
    this.held.set(tx, []);
  }

  /**
   * Stops holding this transaction's events (see holdUntilTaken) and answers them with the statement that writes
   * them, for the transaction to run last, with its COMMIT (runTransaction's finalStatement). Once it has committed,
   * the caller may hand the events to `OutboxRelay.publishCommitted` to publish at once.
   */
  takeHeld(tx: EntityManager): { entries: OutboxEntry[]; statement: PreparedStatement | undefined } {
    const entries = this.held.get(tx) ?? [];
    this.held.delete(tx);
    return { entries, statement: insertStatement(entries) };
  }

  private async insert(tx: EntityManager, entries: OutboxEntry[]): Promise<void> {
    const statement = insertStatement(entries);
    if (statement) await queryPrepared(tx, statement.text, statement.values);
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

/** One statement of fixed text (the rows as arrays), so it is prepared once per connection whatever the count. */
function insertStatement(entries: OutboxEntry[]): PreparedStatement | undefined {
  if (entries.length === 0) return undefined;
  const column = <K extends keyof OutboxEntry>(key: K) => entries.map((entry) => entry[key]);
  return {
    text: INSERT_ENTRIES,
    values: [column('id'), column('subject'), column('type'), column('source'), column('ceSubject'), column('payload'),
      column('traceHeaders'), column('createdAt')],
  };
}
