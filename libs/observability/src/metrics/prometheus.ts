import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';

/**
 * The pull reader behind `/metrics`. It is registered with the SDK by `startTelemetry` and never opens a
 * port of its own: the text is served on the service's HTTP port by `MetricsController`, so Kubernetes and
 * Prometheus need one port per pod.
 */
let reader: PrometheusExporter | undefined;
const serializer = new PrometheusSerializer();

export function createPrometheusReader(): PrometheusExporter {
  reader = new PrometheusExporter({ preventServerStart: true });
  return reader;
}

export function forgetPrometheusReader(): void {
  reader = undefined;
}

/** The current metrics in Prometheus text format, or undefined when telemetry was not started. */
export async function renderPrometheusMetrics(): Promise<string | undefined> {
  if (!reader) return undefined;
  const { resourceMetrics, errors } = await reader.collect();
  const text = serializer.serialize(resourceMetrics);
  // A failing observable callback (NATS unreachable) must not hide the other metrics: say so in a comment.
  const problems = errors.map((error) => `# collection error: ${String(error).replace(/\s+/g, ' ')}\n`).join('');
  return problems + text;
}
