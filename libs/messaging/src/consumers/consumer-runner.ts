import { validateEvent, type EventDefinition } from '@leadline/contracts';
import { queryPreparedTogether } from '@leadline/persistence';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headersToRecord, readAttributes, type ReceivedEvent } from '../cloud-event';
import { claimedIds, inboxClaim } from '../inbox/inbox';
import type { MessagingMetrics } from '../messaging.metrics';
import type { ConsumerSettings } from '../messaging.options';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { SubjectNaming } from '../subjects';
import { contextFromHeaders } from '../trace-context';
import type { UnitOfWork } from '../unit-of-work';
import type { ArrivedMessages } from './arrived-messages';
import { deadLetter } from './dead-letter';
import { splitIntoLanes } from './lanes';
import type { BatchPreparation, EventHandler } from './on-event.decorator';
import { RetryLater } from './retry-later';
import { retryDelayMs, verdictForFailure } from './retry-policy';

const tracer = trace.getTracer('leadline-messaging');

interface Decoded {
  msg: JsMsg;
  event: ReceivedEvent<object>;
  /** The message's headers, read once (the CloudEvents attributes and the trace context are both in them). */
  headers: Record<string, string>;
}

const utf8 = new TextDecoder();

export interface ConsumerRunnerDeps {
  js: JetStreamClient;
  relay: OutboxRelay;
  metrics: MessagingMetrics;
  naming: SubjectNaming;
  settings: ConsumerSettings;
  beforeBatch?: BatchPreparation<object> | undefined;
  ignores?: ((event: ReceivedEvent<object>) => boolean) | undefined;
  unitOfWork: UnitOfWork;
}

/** The CloudEvents subject (what the event is about) keeps events about one thing in one lane, in order. */
function subjectOf(msg: JsMsg): string | null {
  return msg.headers?.get('ce-subject') || null;
}

/**
 * Pulls one durable consumer and handles its events, in `concurrency` lanes at once (see lanes.ts). Waiting events are taken together (up to the batch size)
 * and handled in one transaction; if that fails, each is retried alone so one bad event cannot hold back others.
 */
export class ConsumerRunner {
  private readonly logger: Logger;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  attached = false;

  constructor(
    readonly durable: string,
    readonly streamName: string,
    private readonly definition: EventDefinition,
    private readonly handler: EventHandler<object>,
    private readonly deps: ConsumerRunnerDeps,
  ) {
    this.logger = new Logger(`Consumer ${durable}`);
  }

  async start(): Promise<void> {
    const consumer = await this.deps.js.consumers.get(this.streamName, this.durable);
    const { batchSize, concurrency } = this.deps.settings;
    this.messages = await consumer.consume({ max_messages: Math.max(batchSize * 2 * concurrency, 16) });
    this.attached = true;
    const { lanes, filling } = splitIntoLanes(this.messages, concurrency, subjectOf, batchSize * 4);
    const filled = filling.catch((error: unknown) => {
      this.logger.error(`the subscription failed: ${(error as Error).message}`);
    });
    this.loop = Promise.all([filled, ...lanes.map((lane) => this.run(lane))]).then(() => {
      // Not asked to stop: readiness must say so, so the process gets restarted rather than idling deaf.
      if (!this.stopping) this.logger.error('the subscription ended; this consumer no longer receives events');
      this.attached = false;
    });
  }

  /** Stops pulling and waits for the batch in hand to finish and be acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop;
    this.attached = false;
  }

  /**
   * One lane: takes whatever has arrived (up to the batch size) and handles it at once: a lone event never waits for a
   * companion, and under load the batches fill by themselves while the previous one is being handled.
   */
  private async run(arrived: ArrivedMessages): Promise<void> {
    for (;;) {
      const batch = await arrived.take(this.deps.settings.batchSize);
      if (batch.length === 0) break;
      try {
        await this.handleBatch(batch);
      } catch (error) {
        // Never lose the loop: whatever was not acked is redelivered after ack_wait.
        this.logger.error(`batch handling failed: ${(error as Error).message}`);
      }
    }
  }

  private async handleBatch(batch: JsMsg[]): Promise<void> {
    const decoded: Decoded[] = [];
    for (const msg of batch) {
      const result = this.decode(msg);
      if ('event' in result) decoded.push(result);
      else await this.deadLetterAndTerm(msg, `invalid event: ${result.error}`, 'invalid');
    }
    const fresh: Decoded[] = [];
    for (const item of decoded) {
      if (this.deps.ignores?.(item.event)) {
        item.msg.ack();
        this.deps.metrics.consumed(this.durable, 1);
      } else if (item.event.deliveryCount > this.deps.settings.maxDeliver) {
        await this.deadLetterAndTerm(item.msg, 'delivered more often than allowed without completing (the handler kept dying)', 'max_deliver');
      } else {
        fresh.push(item);
      }
    }
    if (fresh.length === 0) return;
    if (fresh.length > 1) {
      try {
        await this.handleTogether(fresh);
        return;
      } catch (error) {
        const log = error instanceof RetryLater ? 'debug' : 'warn';
        this.logger[log](`batch of ${fresh.length} failed, handling one by one: ${(error as Error).message}`);
      }
    }
    for (const item of fresh) {
      try {
        await this.handleTogether([item]);
      } catch (error) {
        await this.onFailure(item, error as Error);
      }
    }
  }

  private decode(msg: JsMsg): Decoded | { error: string } {
    try {
      const headers = headersToRecord(msg.headers);
      const attributes = readAttributes(headers);
      const data = validateEvent(this.definition, JSON.parse(utf8.decode(msg.data)) as unknown);
      const deliveryCount = msg.info.deliveryCount;
      return { msg, headers, event: { ...attributes, data, deliveryCount, finalAttempt: deliveryCount >= this.deps.settings.maxDeliver, streamSequence: msg.seq } };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /** One transaction: claim the ids in the inbox, run the handler for each new event, commit, then ack. */
  private async handleTogether(items: Decoded[]): Promise<void> {
    // The events the batch's handlers cause are written in one statement at the end, not one per handler.
    const { caused } = await this.deps.unitOfWork.commit(async (tx) => {
      // The batch's own statement goes with the inbox claim, in one round trip (BatchPreparation).
      const prepared = this.deps.beforeBatch?.(items.map((item) => item.event), tx);
      const claim = inboxClaim(this.durable, items.map((item) => item.event.id));
      const [claimed, preparedRows] = await queryPreparedTogether(tx, prepared ? [claim, prepared.statement] : [claim]);
      prepared?.answered?.(preparedRows!);
      const fresh = claimedIds(claimed!);
      // delete(): a batch can hold the same event twice (redelivered while waiting); it runs once.
      const toHandle = items.filter((item) => fresh.delete(item.event.id));
      for (const item of toHandle) await this.traced(item, () => this.handler(item.event, tx));
    });
    // Not awaited: the publishes are on the connection before this returns (nats.js writes a request as it is made),
    // so the lane's next batch cannot overtake them; waiting for JetStream's acks only held the lane meanwhile. A
    // failed publish is the relay's, as when awaited; a consumed event acked before its effects are published is
    // safe, since they are committed in the outbox.
    void this.deps.relay.publishCommitted(caused);
    for (const item of items) item.msg.ack();
    this.deps.metrics.consumed(this.durable, items.length);
  }

  private async traced(item: Decoded, work: () => Promise<void>): Promise<void> {
    const parent = contextFromHeaders(item.headers);
    const span = tracer.startSpan(`process ${item.event.type}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.consumer.group.name': this.durable,
        'messaging.destination.name': item.msg.subject,
        'messaging.message.id': item.event.id,
        'messaging.message.delivery_count': item.event.deliveryCount,
      },
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), work);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  private async onFailure(item: Decoded, error: Error): Promise<void> {
    if (error instanceof RetryLater && !item.event.finalAttempt) {
      this.logger.debug(`event ${item.event.id} waits (delivery ${item.event.deliveryCount}): ${error.message}`);
      item.msg.nak(retryDelayMs(item.event.deliveryCount, this.deps.settings));
      return;
    }
    this.deps.metrics.failed(this.durable);
    const verdict = verdictForFailure(item.event.deliveryCount, this.deps.settings);
    if (verdict.action === 'retry') {
      this.logger.warn(`event ${item.event.id} failed (delivery ${item.event.deliveryCount}), retrying in ${verdict.delayMs} ms: ${error.message}`);
      item.msg.nak(verdict.delayMs);
      return;
    }
    await this.deadLetterAndTerm(item.msg, error.message, 'max_deliver');
  }

  private async deadLetterAndTerm(msg: JsMsg, reason: string, kind: 'invalid' | 'max_deliver'): Promise<void> {
    this.logger.error(`dead-lettering stream sequence ${msg.seq} of ${msg.subject}: ${reason}`);
    try {
      await deadLetter(this.deps.js, this.deps.naming.deadLetterSubject(this.durable), msg, {
        consumer: this.durable, stream: this.streamName, error: reason, deliveryCount: msg.info.deliveryCount,
      });
    } catch (error) {
      // Not copied: leave it unacked so it comes back, rather than terminating an event we did not keep.
      this.logger.error(`could not dead-letter ${msg.seq}: ${(error as Error).message}`);
      return;
    }
    msg.term(reason);
    this.deps.metrics.deadLettered(this.durable, kind);
  }
}

