import { context, propagation, type Context } from '@opentelemetry/api';
import { recordMessageToNotification } from './pipeline-metrics';

/**
 * The time of the visitor message a chain of events started from, carried as W3C Baggage next to the trace
 * context. The outbox stores the propagated context with every event and each consumer restores it, so the entry
 * travels across every NATS hop without any event contract carrying it, and the notifications service can tell
 * how long it took from the visitor's message to the notification. (Baggage is propagated by the SDK's default
 * propagators, `OTEL_PROPAGATORS=tracecontext,baggage`.)
 */
export const MESSAGE_SENT_AT_BAGGAGE = 'leadline.message_sent_at';

/** `ctx` with the message time added to its baggage (ingestion: the context the idle event is queued under). */
export function withMessageSentAt(ctx: Context, sentAt: Date): Context {
  if (Number.isNaN(sentAt.getTime())) return ctx;
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(MESSAGE_SENT_AT_BAGGAGE, { value: sentAt.toISOString() }));
}

/** The message time the active context carries, if the chain started from a visitor's message. */
export function messageSentAt(ctx: Context = context.active()): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(MESSAGE_SENT_AT_BAGGAGE)?.value;
}

/**
 * Records `leadline_message_to_notification_seconds` for a notification stored now, when the active context
 * carries the time of the message it stems from; returns whether it did. Called where the notification is
 * written, inside the consuming transaction: a transaction that then rolls back leaves one extra sample, which a
 * latency histogram can bear (the redelivery that follows is not counted again once the row exists).
 */
export function observeMessageToNotification(kind: string, ctx: Context = context.active()): boolean {
  const sentAt = messageSentAt(ctx);
  if (!sentAt) return false;
  recordMessageToNotification(sentAt, kind);
  return true;
}
