import { STREAMS, type StreamName } from '@leadline/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { metrics, type BatchObservableCallback, type Counter, type ObservableGauge } from '@opentelemetry/api';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging.options';
import { JETSTREAM_MANAGER } from './nats.providers';
import { SubjectNaming } from './subjects';

/** How long a scrape waits for JetStream before reporting what it has (Prometheus times out at 10 s). */
const JETSTREAM_LOOKUP_TIMEOUT_MS = 3_000;

export interface ConsumerBacklog {
  consumer: string;
  stream: string;
  /** Events not yet delivered to the durable: its lag. */
  pending: number;
  /** Delivered, not yet acked (in flight or waiting for a retry). */
  ackPending: number;
}

/**
 * What the consumers and the relay report (counters), and what is read from JetStream when Prometheus
 * scrapes (gauges): each durable consumer's lag and its DLQ depth. Every replica of a service reports the
 * same lag for the durable they share, so dashboards take `max` over pods.
 */
@Injectable()
export class MessagingMetrics implements OnModuleDestroy {
  private readonly meter = metrics.getMeter('leadline-messaging');
  private readonly publishedCounter: Counter = this.meter.createCounter('leadline_events_published_total', {
    description: 'Events published by the outbox relay, per event type',
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
  private readonly lagGauge: ObservableGauge = this.meter.createObservableGauge('leadline_consumer_pending_events', {
    description: 'Events in the stream not yet delivered to the durable consumer (its lag), from consumer info',
  });
  private readonly ackPendingGauge: ObservableGauge = this.meter.createObservableGauge('leadline_consumer_ack_pending_events', {
    description: 'Events delivered to the durable consumer and not yet acked',
  });
  private readonly dlqGauge: ObservableGauge = this.meter.createObservableGauge('leadline_dlq_depth', {
    description: 'Events waiting in the DLQ, per consumer that dead-lettered them',
  });
  private readonly observe: BatchObservableCallback;
  private ownConsumers: (() => { consumer: string; stream: string }[]) | undefined;
  private readonly naming: SubjectNaming;
  private readonly serviceName: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    @Optional() @Inject(JETSTREAM_MANAGER) private readonly jsm?: JetStreamManager,
  ) {
    this.naming = new SubjectNaming(options.subjectPrefix);
    this.serviceName = options.serviceName;
    this.observe = async (result) => {
      const backlogs = await this.consumerBacklogs();
      const dlq = await this.deadLetterDepths(backlogs.map((backlog) => backlog.consumer));
      for (const backlog of backlogs) {
        const attributes = { consumer: backlog.consumer, stream: backlog.stream };
        result.observe(this.lagGauge, backlog.pending, attributes);
        result.observe(this.ackPendingGauge, backlog.ackPending, attributes);
      }
      for (const [consumer, depth] of dlq) result.observe(this.dlqGauge, depth, { consumer });
    };
    this.meter.addBatchObservableCallback(this.observe, [this.lagGauge, this.ackPendingGauge, this.dlqGauge]);
  }

  onModuleDestroy(): void {
    this.meter.removeBatchObservableCallback(this.observe, [this.lagGauge, this.ackPendingGauge, this.dlqGauge]);
  }

  /** The durables this process runs: their lag is read with consumer info, which service users may call. */
  observeConsumers(list: () => { consumer: string; stream: string }[]): void {
    this.ownConsumers = list;
  }

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

  /** This service's durables (`<service>-<purpose>`), with their lag. */
  async consumerBacklogs(): Promise<ConsumerBacklog[]> {
    const jsm = this.jsm;
    if (!jsm) return [];
    if (this.ownConsumers) {
      const known = await Promise.all(this.ownConsumers().map(async ({ consumer, stream }) => {
        try {
          const info = await withTimeout(jsm.consumers.info(stream, consumer), `consumer ${consumer}`);
          return [{ consumer, stream, pending: info.num_pending, ackPending: info.num_ack_pending }];
        } catch {
          return []; // JetStream did not answer: no series rather than a wrong zero
        }
      }));
      return known.flat();
    }
    // Not told (a process that runs no consumers, or a tool): find the service's durables by listing them.
    const perStream = await Promise.all((Object.keys(STREAMS) as StreamName[]).map(async (name) => {
      const stream = this.naming.stream(name);
      const found: ConsumerBacklog[] = [];
      try {
        await withTimeout((async () => {
          for await (const info of jsm.consumers.list(stream)) {
            if (!this.isOwn(info.name)) continue;
            found.push({ consumer: info.name, stream, pending: info.num_pending, ackPending: info.num_ack_pending });
          }
        })(), `consumers of ${stream}`);
      } catch {
        // The stream does not exist (yet) or JetStream did not answer: no series rather than a wrong zero.
      }
      return found;
    }));
    return perStream.flat();
  }

  /** Messages in the DLQ per own consumer (subject `dlq.<consumer>`); 0 for the given consumers with none. */
  async deadLetterDepths(consumers: string[] = []): Promise<Map<string, number>> {
    const depths = new Map<string, number>();
    const jsm = this.jsm;
    if (!jsm) return depths;
    const prefix = this.naming.subject('dlq.');
    try {
      const info = await withTimeout(
        jsm.streams.info(this.naming.stream('DLQ'), { subjects_filter: this.naming.subject('dlq.>') }), 'the DLQ stream');
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        const consumer = subject.slice(prefix.length);
        if (this.isOwn(consumer)) depths.set(consumer, count);
      }
    } catch {
      return depths; // no DLQ stream yet, or JetStream unreachable: report nothing rather than zeros
    }
    for (const consumer of consumers) {
      if (!depths.has(consumer)) depths.set(consumer, 0);
    }
    return depths;
  }

  private isOwn(consumer: string): boolean {
    return consumer.startsWith(`${this.serviceName}-`);
  }
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`JetStream did not answer for ${what} within ${JETSTREAM_LOOKUP_TIMEOUT_MS} ms`)), JETSTREAM_LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
