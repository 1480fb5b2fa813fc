import type { EventDefinition } from '@leadline/contracts';
import type { PreparedStatement } from '@leadline/persistence';
import { SetMetadata } from '@nestjs/common';
import type { QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { ReceivedEvent } from '../cloud-event';

export const ON_EVENT_METADATA = 'leadline:on-event';

export interface OnEventOptions<T = object> {
  /** What the consumer does, in the product's words: the durable is `<service>-<purpose>`. */
  purpose: string;
  /** Overrides the service's default batch size for this consumer. */
  batchSize?: number;
  /**
   * A statement for the whole batch, run in its transaction before its events are handled: it goes to PostgreSQL
   * with the batch's inbox claim, one round trip for both. The events of a batch share one transaction, so locks a
   * handler takes one event at a time are held until the batch commits and taken in the batch's order: a handler
   * that locks several things (identity's claims) takes them all here, in one sorted order, so that two lanes can
   * never wait on each other; a handler that reads per event reads for the batch here (notifications' messages).
   */
  beforeBatch?: BatchPreparation<T>;
  /**
   * Events the handler does nothing with (it returns at once for them): acked without a transaction or an inbox
   * claim, since handling one twice changes nothing. Notifications ignores the AI's turns, half of all messages:
   * a batch of them alone was a transaction that only claimed them.
   */
  ignores?: (event: ReceivedEvent<T>) => boolean;
}

/**
 * The batch statement for these events; undefined when there is nothing to do. Written before the inbox has answered,
 * so for every event of the batch, including any it then finds handled before (a redelivery): what the statement
 * does must be harmless for those (a lock, a read, an upsert of what the event says).
 */
export type BatchPreparation<T> = (events: ReceivedEvent<T>[], tx: EntityManager) => BatchStatement | undefined;

export interface BatchStatement {
  statement: PreparedStatement;
  /** Given the statement's rows once it has run, before the first handler. */
  answered?: (rows: QueryResultRow[]) => void;
}

export interface OnEventMetadata extends OnEventOptions<object> {
  definition: EventDefinition;
}

/** A handler runs inside the transaction that also records the event in the inbox and queues any events it causes. */
export type EventHandler<T> = (event: ReceivedEvent<T>, tx: EntityManager) => Promise<void>;

/**
 * Marks a provider method as the handler of one event, on a durable pull consumer of its own.
 * It is acked only after the transaction commits; a failure is retried with growing delay, then dead-lettered.
 */
export function OnEvent<T extends object>(definition: EventDefinition<T>, options: OnEventOptions<T>): MethodDecorator {
  return SetMetadata(ON_EVENT_METADATA, { definition, ...options } as OnEventMetadata);
}
