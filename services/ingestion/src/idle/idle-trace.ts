import { contextFromHeaders } from '@leadline/messaging';
import { withMessageSentAt } from '@leadline/observability';
import { context, SpanKind, trace, type Context, type Link, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('leadline-ingestion');

/**
 * The span under which a conversation's idle event is queued (so the outbox relay's publish span is its child):
 * it links to the span of every message the quiet period covers, and continues the trace of the latest of them,
 * so one trace runs from the visitor's last HTTP message to whatever the idle event sets off.
 */
export function startIdleSpan(
  conversationId: string, cycle: number, messageTraceHeaders: Record<string, string>[], lastVisitorMessageAt?: Date,
): { span: Span; context: Context } {
  // Messages stored while tracing was off carry no context: they are left out, not linked to a made-up span.
  const traced = messageTraceHeaders
    .map((headers) => contextFromHeaders(headers))
    .filter((extracted) => {
      const spanContext = trace.getSpanContext(extracted);
      return spanContext !== undefined && trace.isSpanContextValid(spanContext);
    });
  const links: Link[] = traced.map((extracted) => ({
    context: trace.getSpanContext(extracted)!, attributes: { 'leadline.link': 'idle-covers-message' },
  }));
  const parent = traced[traced.length - 1] ?? context.active();
  const span = tracer.startSpan('conversation idle', {
    kind: SpanKind.INTERNAL, links,
    attributes: { 'leadline.conversation_id': conversationId, 'leadline.idle_cycle': cycle, 'leadline.messages_covered': messageTraceHeaders.length },
  }, parent);
  // Every event the idle event sets off carries the visitor's last message time: notifications measures message -> notification.
  const spanContext = trace.setSpan(parent, span);
  return { span, context: lastVisitorMessageAt ? withMessageSentAt(spanContext, lastVisitorMessageAt) : spanContext };
}
