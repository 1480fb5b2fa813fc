import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

let sdk: NodeSDK | undefined;

export interface TelemetryOptions {
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  traceExporter?: SpanExporter;
}

/**
 * Starts the OpenTelemetry SDK. Call it before Nest, pg or fastify are loaded (a service's main.ts imports
 * its `instrument.ts` first) so their modules are patched. Message text and addresses are never put on spans.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (sdk) return;
  const exporter = options.traceExporter
    ?? (process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ? new OTLPTraceExporter() : undefined);
  sdk = new NodeSDK({
    serviceName: options.serviceName,
    ...(exporter ? { traceExporter: exporter } : {}),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => (req.url ?? '').startsWith('/health') }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
