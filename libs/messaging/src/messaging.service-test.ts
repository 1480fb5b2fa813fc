import { BroadcastDeliveryUpdatedEvent, type BroadcastDeliveryUpdated } from '@leadline/contracts';
import { PersistenceModule } from '@leadline/persistence';
import { eventually, publishEvent, TestRun } from '@leadline/testing';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { toNatsHeaders, type ReceivedEvent } from './cloud-event';
import { OnEvent, type BatchStatement } from './consumers/on-event.decorator';
import { MessagingModule } from './messaging.module';
import { MessagingTables1763700000000 } from './messaging.migration';
import { NATS_CONNECTION } from './nats.providers';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { SubjectNaming } from './subjects';
import { UnitOfWork } from './unit-of-work';

class ProbeTable1763700000009 implements MigrationInterface {
  name = 'ProbeTable1763700000009';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE probe_records (id serial PRIMARY KEY, event_id text NOT NULL, broadcast_id text NOT NULL, replica text NOT NULL, delivery int NOT NULL)');
    await runner.query('CREATE TABLE probe_prepared (event_id text NOT NULL, broadcast_id text NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE probe_prepared');
    await runner.query('DROP TABLE probe_records');
  }
}

/** What the probe handler does with a broadcast id: the tests steer it through the id's prefix. */
const behaviour = { closedOnce: new Set<string>(), failedOnce: new Set<string>() };

@Injectable()
class ProbeHandler {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection, @Inject('REPLICA') private readonly replica: string,
    private readonly outbox: Outbox,
  ) {}

  @OnEvent(BroadcastDeliveryUpdatedEvent, { purpose: 'probe', beforeBatch: prepareBatch, ignores: isIgnored })
  async record(event: ReceivedEvent<BroadcastDeliveryUpdated>, tx: EntityManager): Promise<void> {
    const id = event.data.broadcastId;
    if (isIgnored(event)) throw new Error(`the probe was given ${id}, which it ignores`);
    // An event that causes another: `relay-…` queues `relayed:relay-…`; `relay-then-fail-…` queues it, then fails.
    if (id.startsWith('relay-')) await this.outbox.add(tx, BroadcastDeliveryUpdatedEvent, { ...event.data, broadcastId: `relayed:${id}` });
    if (id.startsWith('relay-then-fail')) throw new Error(`the probe refuses ${id} after queueing its event`);
    if (id.startsWith('fail-always')) throw new Error(`the probe refuses ${id}`);
    if (id.startsWith('fail-once') && !behaviour.failedOnce.has(id)) {
      behaviour.failedOnce.add(id);
      throw new Error('a passing fault');
    }
    await tx.query('INSERT INTO probe_records (event_id, broadcast_id, replica, delivery) VALUES ($1, $2, $3, $4)',
      [event.id, id, this.replica, event.deliveryCount]);
    if (id.startsWith('die-before-ack') && !behaviour.closedOnce.has(id)) {
      behaviour.closedOnce.add(id);
      // The process loses NATS mid-handler: its transaction still commits, but the ack never reaches the server.
      await this.nc.close();
    }
  }
}

/** What the probe does nothing with: `ignored-…`. */
function isIgnored(event: ReceivedEvent<BroadcastDeliveryUpdated>): boolean {
  return event.data.broadcastId.startsWith('ignored-');
}

/** Notes each event of a batch before it is handled, in the batch's transaction. */
function prepareBatch(events: ReceivedEvent<BroadcastDeliveryUpdated>[]): BatchStatement {
  return {
    statement: {
      text: 'INSERT INTO probe_prepared (event_id, broadcast_id) SELECT * FROM unnest($1::text[], $2::text[])',
      values: [events.map((e) => e.id), events.map((e) => e.data.broadcastId)],
    },
  };
}

async function startProbe(run: TestRun, replica: string): Promise<INestApplication> {
  @Module({
    imports: [
      PersistenceModule.forRoot({
        url: run.databaseUrl, schema: run.schema('probe'), entities: [],
        migrations: [MessagingTables1763700000000, ProbeTable1763700000009], poolSize: 4,
      }),
      MessagingModule.forRoot({
        serviceName: 'probe', natsUrl: run.natsUrl, subjectPrefix: run.prefix, publishes: ['LEADS'],
        consumer: { maxDeliver: 3, retryBaseDelayMs: 50, ackWaitMs: 1500, batchSize: 16 },
        outbox: { pollIntervalMs: 50 },
      }),
    ],
    providers: [ProbeHandler, { provide: 'REPLICA', useValue: replica }],
  })
  class ProbeModule {}
  // No HTTP: an application context runs the same lifecycle hooks.
  const app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
  await app.init();
  app.enableShutdownHooks();
  return app as unknown as INestApplication;
}

const delivery = (broadcastId: string): BroadcastDeliveryUpdated => ({
  accountId: randomUUID(), broadcastId, status: 'delivered', occurredAt: new Date().toISOString(),
});

describe('messaging against real NATS and PostgreSQL', () => {
  let run: TestRun;
  let naming: SubjectNaming;
  let first: INestApplication;
  let second: INestApplication;

  const records = (broadcastId: string) => run.query<{ event_id: string; replica: string; delivery: number }>(
    `SELECT event_id, replica, delivery FROM ${run.schema('probe')}.probe_records WHERE broadcast_id = $1`, [broadcastId]);

  async function deadLettered(broadcastId: string): Promise<Record<string, string> | undefined> {
    const consumer = await run.js.consumers.get(naming.stream('DLQ'), { deliver_policy: DeliverPolicy.All });
    const info = await run.jsm.streams.info(naming.stream('DLQ'));
    if (info.state.messages === 0) return undefined;
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
    for await (const msg of messages) {
      const body = msg.json<BroadcastDeliveryUpdated>();
      if (body.broadcastId === broadcastId) {
        return Object.fromEntries([...msg.headers!].map(([key, values]) => [key.toLowerCase(), values[0]!]));
      }
      if (msg.info.pending === 0) break;
    }
    return undefined;
  }

  beforeAll(async () => {
    run = await TestRun.start();
    naming = run.naming();
    first = await startProbe(run, 'first');
    second = await startProbe(run, 'second');
  });

  afterAll(async () => {
    await first?.close().catch(() => undefined);
    await second?.close();
    await run?.cleanup();
  });

  it('two replicas share one durable consumer: each event is handled once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `shared-${i}`);
    for (const id of ids) await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery(id));
    const rows = await eventually(async () => {
      const found = await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${run.schema('probe')}.probe_records WHERE broadcast_id LIKE 'shared-%'`);
      return found[0]!.n >= 40 ? found : undefined;
    }, 15_000, '40 handled events');
    expect(rows[0]!.n).toBe(40);
    const distinct = await run.query<{ n: number }>(`SELECT count(DISTINCT broadcast_id)::int AS n FROM ${run.schema('probe')}.probe_records WHERE broadcast_id LIKE 'shared-%'`);
    expect(distinct[0]!.n).toBe(40);
  });

  it('prepares each batch in its transaction: every handled event once, nothing of a batch that failed', async () => {
    const prepared = (pattern: string) => run.query<{ broadcast_id: string; n: number }>(
      `SELECT broadcast_id, count(*)::int AS n FROM ${run.schema('probe')}.probe_prepared WHERE broadcast_id LIKE $1
       GROUP BY broadcast_id ORDER BY broadcast_id`, [pattern]);
    const ids = Array.from({ length: 20 }, (_, i) => `prepared-${String(i).padStart(2, '0')}`);
    await Promise.all(ids.map((id) => publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery(id))));
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery('fail-always-prepared'));
    await eventually(async () => ((await deadLettered('fail-always-prepared')) ? true : undefined), 20_000, 'the failing event dead-lettered');

    expect(await prepared('prepared-%')).toEqual(ids.map((id) => ({ broadcast_id: id, n: 1 })));
    expect(await prepared('fail-always-prepared')).toEqual([]);
  });

  it('publishes the events a batch causes once each, and none of a batch that failed', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `relay-${i}`);
    await Promise.all(ids.map((id) => publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery(id))));
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery('relay-then-fail'));
    const relayed = await eventually(async () => {
      const rows = await run.query<{ broadcast_id: string; n: number }>(
        `SELECT broadcast_id, count(*)::int AS n FROM ${run.schema('probe')}.probe_records WHERE broadcast_id LIKE 'relayed:%'
         GROUP BY broadcast_id ORDER BY broadcast_id`);
      return rows.length >= ids.length ? rows : undefined;
    }, 20_000, 'every caused event handled');
    await eventually(async () => ((await deadLettered('relay-then-fail')) ? true : undefined), 20_000, 'the failing event dead-lettered');

    expect(relayed).toEqual(ids.map((id) => `relayed:${id}`).sort().map((broadcastId) => ({ broadcast_id: broadcastId, n: 1 })));
    expect(await records('relayed:relay-then-fail')).toEqual([]);
    // Published at once after the commit, then marked sent: nothing is left for a relay to publish again.
    const queued = await eventually(async () => {
      const rows = await run.query<{ sent: boolean }>(`SELECT sent_at IS NOT NULL AS sent FROM ${run.schema('probe')}.outbox_events
        WHERE payload->>'broadcastId' LIKE 'relayed:relay-%'`);
      return rows.length === ids.length && rows.every((row) => row.sent) ? rows : undefined;
    }, 5_000, 'the caused events marked sent');
    expect(queued).toHaveLength(ids.length);
  });

  it('an event published twice (same id) changes things once', async () => {
    const id = uuidv7();
    const data = delivery('twice');
    // Different Nats-Msg-Ids get past JetStream's de-duplication; the inbox still knows the event id.
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, data, { id });
    await run.js.publish(naming.subject(BroadcastDeliveryUpdatedEvent.subject), JSON.stringify(data), {
      msgID: `${id}-again`, headers: toNatsHeaders({ id, type: BroadcastDeliveryUpdatedEvent.type, source: 'test', time: new Date().toISOString() }),
    });
    await eventually(async () => ((await records('twice')).length > 0 ? true : undefined), 10_000, 'the event');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await records('twice')).toHaveLength(1);
  });

  it('acks the events a handler ignores without a transaction or an inbox claim, and handles the rest of their batch', async () => {
    const ignored = ['ignored-1', 'ignored-2', 'ignored-3'].map(delivery);
    const kept = ['kept-among-ignored-1', 'kept-among-ignored-2'].map(delivery);
    const ids = await Promise.all([ignored[0]!, kept[0]!, ignored[1]!, kept[1]!, ignored[2]!].map(async (data) => {
      const id = uuidv7();
      await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, data, { id });
      return { id, broadcastId: data.broadcastId };
    }));
    await eventually(async () => ((await records('kept-among-ignored-2')).length === 1 ? true : undefined), 10_000, 'the kept events');
    expect(await records('kept-among-ignored-1')).toHaveLength(1);
    await eventually(async () => {
      const info = await run.jsm.consumers.info(naming.stream('BROADCASTS'), 'probe-probe');
      return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
    }, 10_000, 'every event acked');
    const ignoredIds = ids.filter((e) => e.broadcastId.startsWith('ignored-')).map((e) => e.id);
    const claimed = await run.query(`SELECT event_id FROM ${run.schema('probe')}.inbox_events WHERE event_id = ANY($1::text[])`, [ignoredIds]);
    const prepared = await run.query(`SELECT event_id FROM ${run.schema('probe')}.probe_prepared WHERE event_id = ANY($1::text[])`, [ignoredIds]);
    expect({ claimed, prepared }).toEqual({ claimed: [], prepared: [] });
    expect(await deadLettered('ignored-1')).toBeUndefined();
  });

  it('a failure is retried with a delay and then succeeds', async () => {
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery('fail-once-1'));
    const rows = await eventually(async () => {
      const found = await records('fail-once-1');
      return found.length > 0 ? found : undefined;
    }, 10_000, 'the retried event');
    expect(rows).toEqual([expect.objectContaining({ delivery: 2 })]);
  });

  it('a handler that loses its connection before acking: the event is redelivered and its result exists once', async () => {
    const deliveries = async () => (await run.jsm.consumers.info(naming.stream('BROADCASTS'), 'probe-probe')).delivered.consumer_seq;
    const before = await deliveries();
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery('die-before-ack-1'));
    await eventually(async () => ((await records('die-before-ack-1')).length > 0 ? true : undefined), 10_000, 'first handling');
    // The surviving replica gets the unacked event after ack_wait, finds it in its inbox and acks it.
    await eventually(async () => {
      const info = await run.jsm.consumers.info(naming.stream('BROADCASTS'), 'probe-probe');
      return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
    }, 15_000, 'the redelivery to be acked');
    expect(await deliveries()).toBeGreaterThanOrEqual(before + 2);
    expect(await records('die-before-ack-1')).toHaveLength(1);
    // The batch statement went with the inbox claim, before it answered: it ran for the redelivery too (which is why
    // it must be harmless for an event handled before), the handler did not.
    const [prepared] = await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${run.schema('probe')}.probe_prepared WHERE broadcast_id = 'die-before-ack-1'`);
    expect(prepared!.n).toBeGreaterThanOrEqual(2);
  });

  it('an invalid event goes to the DLQ at once with the reason, and changes nothing', async () => {
    const bad = { ...delivery('invalid-1'), status: 'teleported' };
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, bad as BroadcastDeliveryUpdated);
    const headers = await eventually(() => deadLettered('invalid-1'), 10_000, 'the dead letter');
    expect(headers['leadline-dlq-error']).toMatch(/invalid event.*status/);
    expect(headers['leadline-dlq-consumer']).toBe('probe-probe');
    expect(headers['leadline-dlq-subject']).toBe(naming.subject(BroadcastDeliveryUpdatedEvent.subject));
    expect(headers['leadline-dlq-deliveries']).toBe('1');
    expect(headers['ce-type']).toBe(BroadcastDeliveryUpdatedEvent.type);
    expect(await records('invalid-1')).toHaveLength(0);
  });

  it('an event that keeps failing goes to the DLQ after max_deliver with its error', async () => {
    await publishEvent(run.js, naming, BroadcastDeliveryUpdatedEvent, delivery('fail-always-1'));
    const headers = await eventually(() => deadLettered('fail-always-1'), 15_000, 'the dead letter');
    expect(headers['leadline-dlq-error']).toBe('the probe refuses fail-always-1');
    expect(headers['leadline-dlq-deliveries']).toBe('3');
    expect(headers['leadline-dlq-stream']).toBe(naming.stream('BROADCASTS'));
  });

  it('a row whose publish is not acknowledged stays pending', async () => {
    const alive = [first, second].find((app) => !app.get<NatsConnection>(NATS_CONNECTION).isClosed())!;
    const relay = alive.get(OutboxRelay);
    const schema = run.schema('probe');
    await relay.stop(); // only this test relays now
    try {
      // No stream listens on this subject: JetStream answers the publish with "no responders".
      const orphan = uuidv7();
      await run.query(
        `INSERT INTO ${schema}.outbox_events (id, subject, type, source, payload) VALUES ($1, $2, $3, 'probe', '{}'::jsonb)`,
        [orphan, `${run.prefix}-nowhere.v1.thing.happened`, 'nowhere.v1.thing.happened'],
      );
      await expect(relay.relayOnce()).rejects.toThrow();
      const rows = await run.query<{ sent_at: Date | null }>(`SELECT sent_at FROM ${schema}.outbox_events WHERE id = $1`, [orphan]);
      expect(rows).toEqual([{ sent_at: null }]);
      await run.query(`DELETE FROM ${schema}.outbox_events WHERE id = $1`, [orphan]);
    } finally {
      relay.start();
    }
  });

  it('two outbox relays at once never publish a row twice', async () => {
    // The replica whose connection the previous test closed cannot relay: use the other one.
    const alive = [first, second].find((app) => !app.get<NatsConnection>(NATS_CONNECTION).isClosed())!;
    const relays = [alive.get(OutboxRelay)];
    const schema = run.schema('probe');
    const ids = Array.from({ length: 300 }, () => uuidv7());
    await run.query(
      `INSERT INTO ${schema}.outbox_events (id, subject, type, source, payload) SELECT id, $2, $3, 'probe', '{}'::jsonb FROM unnest($1::uuid[]) AS id`,
      [ids, naming.subject('leads.v1.relay-test'), 'leads.v1.relay-test'],
    );
    // The running relay competes with two more loops driven here.
    const drain = async () => {
      let sent = 0;
      for (let n = 1; n > 0;) { n = await relays[0]!.relayOnce(); sent += n; }
      return sent;
    };
    const sentHere = (await Promise.all([drain(), drain()])).reduce((a, b) => a + b, 0);
    expect(sentHere).toBeLessThanOrEqual(300);
    // A drain loop stops when a round finds nothing free, which it also does while the running relay holds a batch
    // (its rows are locked until its publishes are acknowledged): every row is sent once that batch commits.
    await eventually(async () => {
      const pending = await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.outbox_events WHERE sent_at IS NULL`);
      return pending[0]!.n === 0 ? true : undefined;
    }, 10_000, 'every outbox row marked sent');
    const published = await eventually(async () => {
      const info = await run.jsm.streams.info(naming.stream('LEADS'));
      return info.state.messages >= 300 ? info.state.messages : undefined;
    }, 10_000, 'the relayed events');
    expect(published).toBe(300);
  });

  it('queues several events in one statement and publishes their payloads byte for byte', async () => {
    const alive = [first, second].find((app) => !app.get<NatsConnection>(NATS_CONNECTION).isClosed())!;
    // What a visitor may type: quotes, backslashes, braces and commas (array syntax), non-Latin text, emoji, newlines.
    const awkward = ['say "hi" \\ back\\slash', '{a,b},"c"', 'Ünïcødé — 日本語 🎉', 'line one\nline two\ttab', 'NULL', ''];
    const payloads = awkward.map((text) => delivery(`awkward:${text}`));
    const ids = await alive.get(UnitOfWork).run((tx) => alive.get(Outbox).addMany(tx, BroadcastDeliveryUpdatedEvent,
      payloads.map((payload) => ({ payload, ceSubject: payload.accountId }))));
    const stored = await run.query<{ id: string; payload: BroadcastDeliveryUpdated; ce_subject: string }>(
      `SELECT id, payload, ce_subject FROM ${run.schema('probe')}.outbox_events WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(stored.map((row) => row.payload)).toEqual(payloads);
    expect(stored.map((row) => row.ce_subject)).toEqual(payloads.map((p) => p.accountId));
    // And as consumed on the other side: the probe handler records each broadcast id it is given.
    await eventually(async () => {
      const rows = await run.query<{ broadcast_id: string }>(
        `SELECT DISTINCT broadcast_id FROM ${run.schema('probe')}.probe_records WHERE broadcast_id LIKE 'awkward:%'`);
      return rows.length === awkward.length ? rows : undefined;
    }, 10_000, 'the awkward events handled');
    const handled = await run.query<{ broadcast_id: string }>(
      `SELECT DISTINCT broadcast_id FROM ${run.schema('probe')}.probe_records WHERE broadcast_id LIKE 'awkward:%'`);
    expect(handled.map((row) => row.broadcast_id).sort()).toEqual(payloads.map((p) => p.broadcastId).sort());
  });
});
