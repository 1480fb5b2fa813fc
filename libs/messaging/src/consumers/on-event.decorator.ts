import type { EventDefinition } from '@leadline/contracts';
import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReceivedEvent } from '../cloud-event';

export const ON_EVENT_METADATA = 'leadline:on-event';

export interface OnEventOptions {
  /** What the consumer does, in the product's words: the durable is `<service>-<purpose>`. */
  purpose: string;
  /** Overrides the service's default batch size for this consumer. */
  batchSize?: number;
}

export interface OnEventMetadata extends OnEventOptions {
  definition: EventDefinition;
}

/** A handler runs inside the transaction that also records the event in the inbox and queues any events it causes. */
export type EventHandler<T> = (event: ReceivedEvent<T>, tx: EntityManager) => Promise<void>;

/**
 * Marks a provider method as the handler of one event, on a durable pull consumer of its own.
 * It is acked only after the transaction commits; a failure is retried with growing delay, then dead-lettered.
 */
export function OnEvent(definition: EventDefinition, options: OnEventOptions): MethodDecorator {
  return SetMetadata(ON_EVENT_METADATA, { definition, ...options } satisfies OnEventMetadata);
}
