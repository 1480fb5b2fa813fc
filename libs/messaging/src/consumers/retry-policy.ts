import type { ConsumerSettings } from '../messaging.options';

/** Delay before the next attempt: doubles with each delivery, capped. */
export function retryDelayMs(deliveryCount: number, settings: Pick<ConsumerSettings, 'retryBaseDelayMs' | 'retryMaxDelayMs'>): number {
  const exponent = Math.max(0, deliveryCount - 1);
  return Math.min(settings.retryMaxDelayMs, settings.retryBaseDelayMs * 2 ** exponent);
}

/**
 * The server may deliver twice more than we allow, so that a process that died on the last attempt
 * still gets a delivery in which it can dead-letter the event instead of losing it.
 */
export function serverMaxDeliver(maxDeliver: number): number {
  return maxDeliver + 2;
}

export type FailureVerdict = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

export function verdictForFailure(deliveryCount: number, settings: ConsumerSettings): FailureVerdict {
  if (deliveryCount >= settings.maxDeliver) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: retryDelayMs(deliveryCount, settings) };
}
