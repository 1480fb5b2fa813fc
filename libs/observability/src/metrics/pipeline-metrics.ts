import { metrics, type Histogram } from '@opentelemetry/api';

/** Seconds; the idle window alone is tens of seconds to minutes, so the buckets reach far. */
export const PIPELINE_LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

let histogram: Histogram | undefined;

/**
 * End-to-end latency, from a visitor's message (its `sentAt`) to the notification stored for it.
 * The notifications service calls it when it stores a notification for an event that carries the time of
 * the message it stems from. `kind` is the notification kind (`new_lead`, `conversation_update`).
 */
export function recordMessageToNotification(messageSentAt: Date | string, kind: string, now: Date = new Date()): void {
  const sentAt = typeof messageSentAt === 'string' ? new Date(messageSentAt) : messageSentAt;
  const seconds = (now.getTime() - sentAt.getTime()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return; // an unparseable or future time says nothing true
  histogram ??= metrics.getMeter('leadline-pipeline').createHistogram('leadline_message_to_notification_seconds', {
    description: 'From a visitor message to the notification it caused, per notification kind',
    unit: 's',
    advice: { explicitBucketBoundaries: PIPELINE_LATENCY_BUCKETS },
  });
  histogram.record(seconds, { kind });
}

/** Tests start and stop telemetry several times in one process: the next record binds to the new meter. */
export function forgetPipelineMetrics(): void {
  histogram = undefined;
}
