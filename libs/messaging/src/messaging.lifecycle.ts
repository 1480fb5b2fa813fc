import { EVENT_CATALOGUE, type StreamName } from '@leadline/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ConsumerRunner } from './consumers/consumer-runner';
import { ON_EVENT_METADATA, type EventHandler, type OnEventMetadata } from './consumers/on-event.decorator';
import { serverMaxDeliver } from './consumers/retry-policy';
import { MessagingMetrics } from './messaging.metrics';
import { DEFAULT_CONSUMER_SETTINGS, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.options';
import { JETSTREAM_CLIENT, JETSTREAM_MANAGER, NATS_CONNECTION } from './nats.providers';
import { OutboxRelay } from './outbox/outbox-relay';
import { ensureDurableConsumer, ensureStream } from './streams/stream-provisioner';
import { SubjectNaming } from './subjects';
import { UnitOfWork } from './unit-of-work';

interface DiscoveredHandler {
  meta: OnEventMetadata;
  handler: EventHandler<object>;
}

/**
 * Finds every `@OnEvent` method (a discovery-based explorer rather than a custom transport: handlers stay
 * plain provider methods with their transaction, and the lib keeps full control of acks, batching and DLQ).
 * At bootstrap it provisions streams and durables, then starts the relay and the consumers; at shutdown it
 * stops pulling, lets in-flight batches finish, stops the relay and drains NATS.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private readonly naming: SubjectNaming;
  private runners: ConsumerRunner[] = [];
  private started = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM_CLIENT) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    private readonly relay: OutboxRelay,
    private readonly unitOfWork: UnitOfWork,
    private readonly metrics: MessagingMetrics,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {
    this.naming = new SubjectNaming(options.subjectPrefix);
  }

  /** Ready: connected, and every consumer attached. */
  isReady(): boolean {
    return this.started && !this.nc.isClosed() && this.runners.every((runner) => runner.attached);
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.discoverHandlers();
    const streams = new Set<StreamName | 'DLQ'>(['DLQ', ...this.options.publishes]);
    for (const { meta } of handlers) streams.add(meta.definition.stream);
    for (const stream of streams) {
      await ensureStream(this.jsm, {
        name: this.naming.stream(stream),
        subjects: this.naming.streamSubjects(stream),
        replicas: this.options.streamReplicas ?? 1,
      });
    }
    const settings = { ...DEFAULT_CONSUMER_SETTINGS, ...this.options.consumer };
    for (const { meta, handler } of handlers) {
      const durable = `${this.options.serviceName}-${meta.purpose}`;
      const stream = this.naming.stream(meta.definition.stream);
      const batchSize = meta.batchSize ?? settings.batchSize;
      await ensureDurableConsumer(this.jsm, {
        stream, durable, filterSubject: this.naming.subject(meta.definition.subject),
        maxDeliver: serverMaxDeliver(settings.maxDeliver), ackWaitMs: settings.ackWaitMs,
        maxAckPending: Math.max(1000, batchSize * 4),
      });
      this.runners.push(new ConsumerRunner(durable, stream, meta.definition, handler, {
        js: this.js, relay: this.relay, metrics: this.metrics, naming: this.naming,
        settings: { ...settings, batchSize }, beforeBatch: meta.beforeBatch, ignores: meta.ignores, unitOfWork: this.unitOfWork,
      }));
    }
    // Lag is read per durable with consumer info (the NATS permissions of deploy/nats/ allow no listing).
    this.metrics.observeConsumers(() => this.runners.map((runner) => ({ consumer: runner.durable, stream: runner.streamName })));
    this.relay.start();
    await Promise.all(this.runners.map((runner) => runner.start()));
    this.started = true;
    this.logger.log(`streams ${[...streams].join(', ')} ready; consumers: ${this.runners.map((r) => r.durable).join(', ') || 'none'}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Each step runs even if an earlier one failed (a lost connection must not leave the relay running).
    const stopped = await Promise.allSettled(this.runners.map((runner) => runner.stop()));
    await this.relay.stop();
    if (!this.nc.isClosed()) await this.nc.drain();
    for (const result of stopped) {
      if (result.status === 'rejected') this.logger.warn(`a consumer stopped uncleanly: ${String(result.reason)}`);
    }
    this.started = false;
  }

  private discoverHandlers(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name];
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<OnEventMetadata | undefined>(ON_EVENT_METADATA, method);
        if (!meta) continue;
        if (!EVENT_CATALOGUE.includes(meta.definition)) {
          throw new Error(`@OnEvent on ${wrapper.name}.${name} names an event outside the catalogue`);
        }
        found.push({ meta, handler: (method as EventHandler<object>).bind(instance) });
      }
    }
    const durables = found.map(({ meta }) => meta.purpose);
    const repeated = durables.find((purpose, i) => durables.indexOf(purpose) !== i);
    if (repeated) throw new Error(`two @OnEvent handlers share the purpose "${repeated}"; each needs its own durable`);
    return found;
  }
}
