import type { EventDefinition } from '@leadline/contracts';
import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReceivedEvent } from '../cloud-event';

export const ON_EVENT_METADATA = 'leadline:on-event';

export interface OnEventOptions<T = object> {
  /** What the consumer does, in the product's words: the durable is `<service>-<purpose>`. */
  purpose: string;
  /** Overrides the service's default batch size for this consumer. */
  batchSize?: number;
  /**
   * Runs in the batch's transaction before its events are handled, with the events that will be. The events of a
   * batch share one transaction, so locks a handler takes one event at a time are held until the batch commits and
   * taken in the batch's order: a handler that locks several things (identity's claims) takes them all here, in
   * one sorted order, so that two lanes can never wait on each other.
   */
  beforeBatch?: BatchPreparation<T>;
  /**
   * Events the handler does nothing with (it returns at once for them): acked without a transaction or an inbox
   * claim, since handling one twice changes nothing. Notifications ignores the AI's turns, half of all messages:
   * a batch of them alone was a transaction that only claimed them.
   */
  ignores?: (event: ReceivedEvent<T>) => boolean;
}

export type BatchPreparation<T> = (events: ReceivedEvent<T>[], tx: EntityManager) => Promise<void>;

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
