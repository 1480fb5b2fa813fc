// TEMPORARY experiment: backend CPU per message of the store statement vs the ceiling's INSERT.
import 'reflect-metadata';
import { startService, TestRun } from '@leadline/testing';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { ingestionService } from '../../services/ingestion/src/ingestion.service-definition';
import { RECORD_VISITOR_MESSAGES } from '../../services/ingestion/src/conversations/visitor-message-statement';
import { processCpuSeconds } from './cpu-usage';

async function main(): Promise<void> {
  const run = await TestRun.start();
  const { app } = await startService(run, ingestionService, { LOG_LEVEL: 'silent' });
  await app.close();
  const schema = run.schema('ingestion');
  const client = new Client({ connectionString: run.databaseUrl, options: `-c search_path=${schema},public` });
  await client.connect();
  await client.query(`CREATE TABLE ceiling (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), device_id uuid NOT NULL, client_message_id text NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
  const accountId = randomUUID();
  const devices = Array.from({ length: 5000 }, () => randomUUID());
  let seq = 0;
  const row = () => {
    seq += 1;
    const messageId = uuidv7();
    return [accountId, 'webchat', devices[seq % devices.length], JSON.stringify([{ kind: 'device', value: devices[seq % devices.length], verified: false }]), uuidv7(), messageId, 'visitor',
      `Hello, this is message ${seq}, my email is visitor${seq}@example.com`, `d:${seq}`, new Date(), null, null, null, '[]', '{}', 3600,
      uuidv7(), JSON.stringify({ accountId, conversationId: messageId, messageId, channel: 'webchat', author: 'visitor', text: 'x', sentAt: new Date().toISOString() }), uuidv7(), uuidv7(), '{}'];
  };
  const measure = async (name: string, n: number, once: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i += 1) await once();
    const cpu0 = processCpuSeconds(pid)!; const t0 = Date.now(); const n0 = process.cpuUsage();
    for (let i = 0; i < n; i += 1) await once();
    const cpu = processCpuSeconds(pid)! - cpu0;
    const nc = process.cpuUsage(n0);
    console.log(`  node side ${name}: ${((nc.user + nc.system) / n).toFixed(0)} µs per call`);
    return { name, cpu, wall: Date.now() - t0 };
  };
  const results: string[] = [];
  for (const round of [1, 2]) {
    const ceil = await measure('ceiling insert', 2000, () => client.query({ name: 'c', text: 'INSERT INTO ceiling (device_id, client_message_id, text) VALUES ($1, $2, $3) RETURNING id', values: [devices[seq++ % 5000], `m${seq}`, 'Hello there this is a message'] }));
    results.push(`r${round} ${ceil.name}: ${(ceil.cpu * 1000 / 2000).toFixed(3)} ms cpu/msg, wall ${(ceil.wall / 2000).toFixed(2)} ms/msg`);
    for (const size of [1, 4, 16, 32]) {
      const batches = Math.ceil(2000 / size);
      const r = await measure(`store batch ${size}`, batches, () => {
        const rows = Array.from({ length: size }, row);
        const columns = rows[0]!.map((_, c) => rows.map((r2) => r2[c]));
        return client.query({ name: 's', text: RECORD_VISITOR_MESSAGES, values: [...columns, 'subj', 'type', 'ingestion', 'subj2', 'type2'] });
      });
      results.push(`r${round} ${r.name}: ${(r.cpu * 1000 / (batches * size)).toFixed(3)} ms cpu/msg, wall ${(r.wall / (batches * size)).toFixed(2)} ms/msg`);
      const relay = await measure('relay', Math.ceil(batches * size / 32), () => client.query(`BEGIN; UPDATE outbox_events SET sent_at = now() WHERE id IN (SELECT id FROM outbox_events WHERE sent_at IS NULL ORDER BY id LIMIT 32 FOR UPDATE SKIP LOCKED) RETURNING id, subject, type, source, ce_subject, payload, trace_headers, created_at; COMMIT`));
      results.push(`r${round}   relay per msg (32/round): ${(relay.cpu * 1000 / (batches * size)).toFixed(3)} ms cpu/msg`);
    }
  }
  console.log(results.join('\n'));
  await client.end();
  await run.cleanup();
}
void main();
