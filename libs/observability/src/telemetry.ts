import { context, createNoopMeter, metrics, propagation, trace, type MeterProvider } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { hideQueryString } from './personal-data';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor, ParentBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { isHousekeepingRoute } from './metrics/http-metrics';
import { forgetPipelineMetrics } from './metrics/pipeline-metrics';
import { createPrometheusReader, forgetPrometheusReader } from './metrics/prometheus';

let sdk: NodeSDK | undefined;
let instrumentations: (HttpInstrumentation | PgInstrumentation)[] = [];

export interface TelemetryOptions {
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  traceExporter?: SpanExporter;
}

/**
 * Starts the OpenTelemetry SDK: traces (OTLP or the given exporter) and metrics (pulled by Prometheus on the
 * service's `/metrics`). Call it before Nest, pg or fastify are loaded (a service's main.ts imports its
 * `instrument.ts` first) so their modules are patched, and before meters are asked for: the metrics API
 * hands out no-op meters until a provider is registered. Message text and addresses are never put on spans.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (sdk) return;
  sdk = new NodeSDK({
    serviceName: options.serviceName,
    ...exportConfiguration(options.traceExporter, process.env),
    metricReaders: [createPrometheusReader()],
    instrumentations: instrumentations = instrumentationsFor(tracesExported(options.traceExporter, process.env)),
  });
  sdk.start();
  // The instrumentations' own histograms (one per query, one per request) cost about 1.5% of each service's CPU in
  // bench/e2e and were not among the metrics we publish (leadline_*, deploy/README.md): HTTP duration is ours
  // already, and a query's duration is on its span. They record into a no-op meter.
  for (const instrumentation of instrumentations) instrumentation.setMeterProvider(NO_METERS);
}

const NO_METERS: MeterProvider = { getMeter: () => createNoopMeter() };

/**
 * HTTP is always instrumented: it reads `traceparent` from requests, so a trace goes on through the events a request
 * causes. A query's span only ever matters to an exporter; wrapping every query to make a span nobody records was
 * about 3% of each service's CPU in bench/e2e, so pg is instrumented only when traces are exported.
 */
export function instrumentationsFor(exported: boolean): (HttpInstrumentation | PgInstrumentation)[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => isHousekeepingRoute(req.url ?? ''),
      requestHook: hideQueryString,
    }),
    ...(exported ? [new PgInstrumentation({ enhancedDatabaseReporting: false })] : []),
  ];
}

/** Whether spans leave the process: an exporter given, an OTLP endpoint, or an exporter named by the SDK's variable. */
export function tracesExported(traceExporter: SpanExporter | undefined, env: NodeJS.ProcessEnv): boolean {
  const named = env['OTEL_TRACES_EXPORTER'];
  return Boolean(traceExporter || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']
    || (named && named !== 'none'));
}

/**
 * Where traces and logs go. Left to itself the SDK exports both by OTLP to localhost:4318 even when nothing listens
 * there (each batch serialised, sent and refused: measured in bench/e2e as a few percent of every service's CPU).
 * So: the given exporter; else OTLP when an endpoint is configured; else whatever `OTEL_TRACES_EXPORTER` /
 * `OTEL_LOGS_EXPORTER` name (the SDK reads them); else nothing is exported. Then spans a request or event starts
 * here are not recorded either (recording every span and every query's span only to drop it was about a tenth of
 * each service's CPU in bench/e2e), but they still get trace ids, so logs carry `trace_id` and `traceparent`
 * travels on to the next service; a span whose remote parent was sampled (an upstream that exports) is recorded.
 */
export function exportConfiguration(traceExporter: SpanExporter | undefined, env: NodeJS.ProcessEnv):
  Pick<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>, 'traceExporter' | 'spanProcessors' | 'logRecordProcessors' | 'sampler'> {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  const exporter = traceExporter ?? (endpoint ? new OTLPTraceExporter() : undefined);
  const nothingExported = { spanProcessors: [new NoopSpanProcessor()], sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) };
  const traces = exporter ? { traceExporter: exporter } : tracesExported(undefined, env) ? {} : nothingExported;
  const logs = endpoint || env['OTEL_LOGS_EXPORTER'] ? {} : { logRecordProcessors: [] };
  return { ...traces, ...logs };
}

/**
 * Jest loads modules through its own registry, which the SDK's require hook never sees, so there the http and pg
 * patches do not land by themselves. A test passes its `require` to apply the SDK's own instrumentations to the
 * modules as Jest loaded them. Services never need this: instrument.ts runs before anything is loaded.
 */
export function instrumentLoadedModules(load: (id: string) => unknown): void {
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      let loaded: unknown;
      try {
        loaded = load(definition.name);
      } catch {
        continue; // not installed here (pg-native and the like): nothing to patch
      }
      definition.patch?.(loaded, undefined);
    }
  }
}

/** Exports the spans still waiting in the batch processor (tests read an in-memory exporter right after a flow). */
export async function flushTelemetry(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (provider.getDelegate?.() ?? provider) as { forceFlush?: () => Promise<void> };
  await delegate.forceFlush?.();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
  // The SDK leaves its providers registered with the API; a later startTelemetry in this process registers anew.
  for (const api of [trace, context, propagation, metrics, logs]) api.disable();
  instrumentations = [];
  forgetPrometheusReader();
  forgetPipelineMetrics();
}
