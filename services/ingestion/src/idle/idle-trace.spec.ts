import { currentTraceHeaders } from '@leadline/messaging';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startIdleSpan } from './idle-trace';

describe('the idle span', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });

  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  /** The trace headers a message's HTTP request span would have stored with it. */
  const messageHeaders = (name: string) => {
    const span = trace.getTracer('test').startSpan(name);
    const headers = context.with(trace.setSpan(context.active(), span), () => currentTraceHeaders());
    span.end();
    return { headers, spanContext: span.spanContext() };
  };

  it('links every message it covers, continues the last one\'s trace, and is the parent of what is queued under it', async () => {
    const first = messageHeaders('POST /v1/webchat/messages (1)');
    const second = messageHeaders('POST /v1/webchat/messages (2)');
    const { span, context: idleContext } = startIdleSpan('0190a000-0000-7000-8000-000000000000', 1, [first.headers, second.headers, {}]);
    const queued = await context.with(idleContext, async () => {
      await Promise.resolve();
      return currentTraceHeaders();
    });
    span.end();

    const idle = exporter.getFinishedSpans().find((s) => s.name === 'conversation idle')!;
    expect(idle.links.map((link) => link.context.spanId)).toEqual([first.spanContext.spanId, second.spanContext.spanId]);
    expect(idle.spanContext().traceId).toBe(second.spanContext.traceId);
    expect(idle.parentSpanContext?.spanId).toBe(second.spanContext.spanId);
    expect(queued['traceparent']).toBe(`00-${idle.spanContext().traceId}-${idle.spanContext().spanId}-01`);
  });

  it('starts its own trace when no message brought one', () => {
    const { span } = startIdleSpan('0190a000-0000-7000-8000-000000000001', 2, [{}]);
    span.end();
    const idle = exporter.getFinishedSpans().filter((s) => s.name === 'conversation idle').at(-1)!;
    expect(idle.links).toEqual([]);
    expect(idle.parentSpanContext).toBeUndefined();
  });
});
