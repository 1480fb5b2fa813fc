import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, nanos } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';

/** An event-sized body: the pipeline's events are JSON of this order (a transcript, a contact snapshot). */
const BODY = JSON.stringify({ accountId: randomUUID(), conversationId: randomUUID(), text: 'x'.repeat(600) });

/**
 * The machine's JetStream ceiling as the services use it: one connection publishes to a file-storage stream
 * with a de-duplication window (Nats-Msg-Id and CloudEvents headers, acks awaited in windows), another pulls
 * from a durable consumer and acks each message. Returns messages per second published, consumed and acked.
 */
export async function jetStreamCeiling(natsUrl: string, prefix: string, messages: number, window = 256): Promise<number> {
  const pub = await connect({ servers: natsUrl, name: `${prefix}-raw-pub` });
  const sub = await connect({ servers: natsUrl, name: `${prefix}-raw-sub` });
  const jsm = await jetstreamManager(pub);
  const stream = `${prefix}_RAW`;
  const subject = `${prefix}.raw.event`;
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.raw.>`], storage: StorageType.File, duplicate_window: nanos(120_000) });
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit, filter_subject: subject, max_ack_pending: 1000 });
  try {
    const js = jetstream(pub);
    const consumer = await jetstream(sub).consumers.get(stream, 'raw');
    const started = Date.now();
    let acked = 0;
    const consuming = (async () => {
      const iterator = await consumer.consume({ max_messages: 128 });
      for await (const msg of iterator) {
        msg.ack();
        acked += 1;
        if (acked >= messages) break;
      }
    })();
    for (let sent = 0; sent < messages; sent += window) {
      const batch: Promise<unknown>[] = [];
      for (let i = sent; i < Math.min(messages, sent + window); i += 1) {
        const id = uuidv7();
        const h = natsHeaders();
        h.set('ce-id', id);
        h.set('ce-type', 'raw.v1.event.sent');
        h.set('ce-source', 'bench');
        h.set('ce-time', new Date().toISOString());
        batch.push(js.publish(subject, BODY, { msgID: id, headers: h }));
      }
      await Promise.all(batch);
    }
    await consuming;
    await sub.flush();
    return (messages * 1000) / (Date.now() - started);
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await Promise.allSettled([pub.drain(), sub.drain()]);
  }
}

/**
 * The machine's PostgreSQL ceiling: `connections` clients each running transactions of three statements
 * (insert an event-sized row, update a counter, read the row back), committed with the server's own
 * durability settings. Returns commits per second.
 */
export async function postgresCeiling(databaseUrl: string, connections: number, durationMs: number): Promise<number> {
  const setup = new Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query('CREATE SCHEMA IF NOT EXISTS bench_raw');
  await setup.query('CREATE TABLE IF NOT EXISTS bench_raw.events (id uuid PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
  await setup.query('CREATE TABLE IF NOT EXISTS bench_raw.counters (id int PRIMARY KEY, n bigint NOT NULL)');
  await setup.query('INSERT INTO bench_raw.counters SELECT g, 0 FROM generate_series(1, $1) g ON CONFLICT DO NOTHING', [connections]);
  try {
    const clients = await Promise.all(Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }));
    const deadline = Date.now() + durationMs;
    const started = Date.now();
    const counts = await Promise.all(clients.map(async (client, i) => {
      let n = 0;
      while (Date.now() < deadline) {
        const id = uuidv7();
        await client.query('BEGIN');
        await client.query('INSERT INTO bench_raw.events (id, payload) VALUES ($1, $2::jsonb)', [id, BODY]);
        await client.query('UPDATE bench_raw.counters SET n = n + 1 WHERE id = $1', [i + 1]);
        await client.query('SELECT id, payload FROM bench_raw.events WHERE id = $1', [id]);
        await client.query('COMMIT');
        n += 1;
      }
      await client.end();
      return n;
    }));
    return (counts.reduce((a, b) => a + b, 0) * 1000) / (Date.now() - started);
  } finally {
    await setup.query('DROP SCHEMA bench_raw CASCADE');
    await setup.end();
  }
}
