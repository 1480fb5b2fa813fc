import { contextFromHeaders, currentTraceHeaders } from '@leadline/messaging';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { AttemptOutcome, ClaimedDelivery } from './delivery-row';

const tracer = trace.getTracer('leadline-notifications');

/** Stored with each queued delivery (`deliveries.trace_headers`): the trace of the event that queued it. */
export function deliveryTraceHeaders(): string {
  return JSON.stringify(currentTraceHeaders());
}

/**
 * Runs one attempt of a delivery (send, then record the outcome) under a `deliver <channel>` span that continues
 * the trace of the event that queued it: the `notification.delivered` event it records, and the receiving
 * webhook endpoint (`traceparent`), join that trace too. Ids only on the span, never an address or content.
 */
export async function traceDelivery(delivery: ClaimedDelivery, attempt: () => Promise<AttemptOutcome>): Promise<AttemptOutcome> {
  const parent = contextFromHeaders(delivery.trace_headers ?? {});
  const span = tracer.startSpan(`deliver ${delivery.channel}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'leadline.delivery.id': delivery.id, 'leadline.delivery.channel': delivery.channel,
      'leadline.delivery.attempt': delivery.attempts, 'leadline.account_id': delivery.account_id,
      ...(delivery.notification_id ? { 'leadline.notification_id': delivery.notification_id } : {}),
      ...(delivery.endpoint_id ? { 'leadline.webhook_endpoint_id': delivery.endpoint_id } : {}),
    },
  }, parent);
  try {
    const outcome = await context.with(trace.setSpan(parent, span), attempt);
    if (outcome.statusCode !== null) span.setAttribute('http.response.status_code', outcome.statusCode);
    span.setAttribute('leadline.delivery.outcome', outcome.ok ? 'delivered' : outcome.permanent ? 'failed' : 'retry');
    if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: 'delivery attempt failed (see the delivery log)' });
    return outcome;
  } finally {
    span.end();
  }
}

/** The trace context a webhook POST carries, so the receiving system can continue the trace. */
export function outgoingTraceHeaders(): Record<string, string> {
  const headers = currentTraceHeaders();
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name === 'traceparent' || name === 'tracestate'));
}
