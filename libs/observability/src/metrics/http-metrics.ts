import { metrics, type Counter, type Histogram } from '@opentelemetry/api';

/** Seconds; from a fast health answer to a slow report. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpObservation {
  method: string;
  /** The route template (`/v1/leads/:id`), never the raw URL: ids would explode the series. */
  route: string;
  statusCode: number;
  durationSeconds: number;
}

/** HTTP rate, errors and duration per route, recorded from the server's response hook. */
export class HttpMetrics {
  private readonly meter = metrics.getMeter('leadline-http');
  private readonly duration: Histogram = this.meter.createHistogram('leadline_http_server_duration_seconds', {
    description: 'Time to answer an HTTP request, per method, route and status code',
    unit: 's',
    advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
  });
  private readonly errors: Counter = this.meter.createCounter('leadline_http_server_errors_total', {
    description: 'HTTP requests answered with a 5xx status, per method and route',
  });

  record(observation: HttpObservation): void {
    const attributes = {
      method: observation.method,
      route: observation.route,
      status_code: String(observation.statusCode),
    };
    this.duration.record(observation.durationSeconds, attributes);
    if (observation.statusCode >= 500) this.errors.add(1, { method: observation.method, route: observation.route });
  }
}

/** Requests that say nothing about the service's work: probes and scrapes. */
export function isHousekeepingRoute(url: string): boolean {
  return url.startsWith('/health') || url.startsWith('/metrics');
}
