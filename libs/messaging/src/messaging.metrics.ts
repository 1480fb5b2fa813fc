import { Injectable } from '@nestjs/common';
import { metrics, type Counter } from '@opentelemetry/api';

/** Counters every consumer and the relay report to; exported by whatever meter provider the service runs. */
@Injectable()
export class MessagingMetrics {
  private readonly meter = metrics.getMeter('leadline-messaging');
  private readonly publishedCounter: Counter = this.meter.createCounter('leadline_events_published_total', {
    description: 'Events published by the outbox relay',
  });
  private readonly consumedCounter: Counter = this.meter.createCounter('leadline_events_consumed_total', {
    description: 'Events handled and acked, per consumer',
  });
  private readonly failedCounter: Counter = this.meter.createCounter('leadline_events_failed_total', {
    description: 'Event handling attempts that failed, per consumer',
  });
  private readonly deadLetteredCounter: Counter = this.meter.createCounter('leadline_events_dead_lettered_total', {
    description: 'Events moved to the DLQ, per consumer',
  });

  published(type: string): void {
    this.publishedCounter.add(1, { type });
  }

  consumed(consumer: string, count = 1): void {
    this.consumedCounter.add(count, { consumer });
  }

  failed(consumer: string): void {
    this.failedCounter.add(1, { consumer });
  }

  deadLettered(consumer: string, reason: 'invalid' | 'max_deliver'): void {
    this.deadLetteredCounter.add(1, { consumer, reason });
  }
}
