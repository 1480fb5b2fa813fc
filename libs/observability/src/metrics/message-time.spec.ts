import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { forgetPipelineMetrics } from './pipeline-metrics';
import { messageSentAt, observeMessageToNotification, withMessageSentAt } from './message-time';
import { createPrometheusReader, forgetPrometheusReader, renderPrometheusMetrics } from './prometheus';
import { findSamples, parsePrometheusText } from './prometheus-text';

describe('the message time carried with the trace context', () => {
  beforeAll(() => {
    // What the SDK registers by default (OTEL_PROPAGATORS=tracecontext,baggage).
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [createPrometheusReader()] }));
  });

  afterAll(() => {
    forgetPipelineMetrics();
    forgetPrometheusReader();
    metrics.disable();
    propagation.disable();
    context.disable();
    trace.disable();
  });

  /** One NATS hop: the headers the outbox stores, read back by a consumer in another process. */
  const hop = (): ReturnType<typeof context.active> => {
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    return propagation.extract(context.active(), headers);
  };

  it('survives hops as baggage and is gone where no message started the chain', async () => {
    const sentAt = new Date('2025-11-20T10:00:00.000Z');
    const span = trace.getTracer('test').startSpan('conversation idle');
    const queued = withMessageSentAt(trace.setSpan(context.active(), span), sentAt);
    const consumed = context.with(queued, hop);
    const twoHopsLater = context.with(consumed, hop);
    expect(messageSentAt(twoHopsLater)).toBe('2025-11-20T10:00:00.000Z');
    expect(trace.getSpanContext(twoHopsLater)?.traceId).toBe(span.spanContext().traceId);
    expect(messageSentAt(context.with(context.active(), hop))).toBeUndefined();
    expect(withMessageSentAt(context.active(), new Date('not a date'))).toBe(context.active());
  });

  it('measures message -> notification only when the chain carries the message time', async () => {
    const twelveSecondsAgo = withMessageSentAt(context.active(), new Date(Date.now() - 12_000));
    expect(context.with(context.with(twelveSecondsAgo, hop), () => observeMessageToNotification('new_lead'))).toBe(true);
    expect(observeMessageToNotification('new_lead')).toBe(false); // no message behind it: nothing recorded
    const samples = parsePrometheusText((await renderPrometheusMetrics())!);
    const bucket = (le: string) => findSamples(samples, 'leadline_message_to_notification_seconds_bucket', { kind: 'new_lead', le })[0]?.value;
    expect(findSamples(samples, 'leadline_message_to_notification_seconds_count', { kind: 'new_lead' })[0]?.value).toBe(1);
    expect(bucket('5')).toBe(0);
    expect(bucket('10')).toBe(0);
    expect(bucket('30')).toBe(1);
  });
});
