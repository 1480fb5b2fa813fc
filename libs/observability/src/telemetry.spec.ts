import { context, trace, TraceFlags } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { InMemorySpanExporter, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportConfiguration, flushTelemetry, instrumentationsFor, startTelemetry, stopTelemetry, tracesExported } from './telemetry';

/** Where the SDK would send OTLP by default: nothing may arrive there unless an endpoint was configured. */
const DEFAULT_OTLP_PORT = 4318;
const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_TRACES_EXPORTER', 'OTEL_LOGS_EXPORTER'];

describe('startTelemetry: where traces go', () => {
  const saved = Object.fromEntries(OTEL_VARIABLES.map((name) => [name, process.env[name]]));
  let collector: Server | undefined;
  let received: string[] = [];

  beforeEach(() => {
    received = [];
    for (const name of OTEL_VARIABLES) delete process.env[name];
  });

  afterEach(async () => {
    await stopTelemetry();
    await new Promise((resolve) => (collector ? collector.close(resolve) : resolve(undefined)));
    collector = undefined;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function listen(port: number, host: string): Promise<number> {
    collector = createServer((request: IncomingMessage, response) => {
      received.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve, reject) => {
      collector!.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port} for this test: ${error.message}`)));
      collector!.listen(port, host, resolve);
    });
    return (collector!.address() as AddressInfo).port;
  }

  async function traceOneRequest(): Promise<string> {
    const span = trace.getTracer('telemetry-spec').startSpan('handle visitor message');
    const traceId = span.spanContext().traceId;
    span.end();
    await flushTelemetry();
    return traceId;
  }

  it('exports nothing when no endpoint or exporter is configured, yet still gives spans trace ids to propagate', async () => {
    await listen(DEFAULT_OTLP_PORT, '::'); // dual stack: the SDK's default is http://localhost:4318
    startTelemetry({ serviceName: 'telemetry-spec' });

    const traceId = await traceOneRequest();
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    expect(received).toEqual([]);
  });

  it('records nothing of its own then, but keeps recording a trace an upstream service samples', () => {
    startTelemetry({ serviceName: 'telemetry-spec' });
    const tracer = trace.getTracer('telemetry-spec');

    const root = tracer.startSpan('handle visitor message');
    const upstream = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true,
    });
    const child = tracer.startSpan('process lead.created', {}, upstream);

    expect(root.isRecording()).toBe(false);
    expect(child.isRecording()).toBe(true);
    expect(child.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    root.end();
    child.end();
  });

  // The OTLP exporter loads its transport with a dynamic import, which Jest's VM cannot run: the choice is checked here.
  it('exports by OTLP/HTTP when an endpoint is set, through a named exporter when one is named', () => {
    const otlp = exportConfiguration(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(otlp.traceExporter).toBeInstanceOf(OTLPTraceExporter);
    expect(otlp.logRecordProcessors).toBeUndefined(); // the SDK's own OTLP log export, as configured

    const console = exportConfiguration(undefined, { OTEL_TRACES_EXPORTER: 'console' });
    expect(console).toEqual({ logRecordProcessors: [] }); // the SDK reads OTEL_TRACES_EXPORTER itself, samples as configured

    const given = new InMemorySpanExporter();
    expect(exportConfiguration(given, {}).traceExporter).toBe(given);

    const none = exportConfiguration(undefined, { OTEL_TRACES_EXPORTER: 'none' });
    expect(none.sampler).toBeInstanceOf(ParentBasedSampler); // "none" is nothing exported, not the SDK's defaults
  });

  it('instruments queries only when traces leave the process, requests always (they carry traceparent in)', () => {
    const names = (env: NodeJS.ProcessEnv, exporter?: InMemorySpanExporter) =>
      instrumentationsFor(tracesExported(exporter, env)).map((instrumentation) => instrumentation.instrumentationName);
    expect(names({})).toEqual(['@opentelemetry/instrumentation-http']);
    expect(names({ OTEL_TRACES_EXPORTER: 'none' })).toEqual(['@opentelemetry/instrumentation-http']);
    expect(names({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))
      .toEqual(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-pg']);
    expect(names({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toContain('@opentelemetry/instrumentation-pg');
    expect(names({ OTEL_TRACES_EXPORTER: 'console' })).toContain('@opentelemetry/instrumentation-pg');
    expect(names({}, new InMemorySpanExporter())).toContain('@opentelemetry/instrumentation-pg');
  });
});
