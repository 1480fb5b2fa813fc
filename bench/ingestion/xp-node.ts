// TEMPORARY experiment: Node CPU per message in the ingestion process, by stage.
import 'reflect-metadata';
import { AccountUpdatedEvent } from '@leadline/contracts';
import { eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { OutboxRelay } from '@leadline/messaging';
import { ingestionService } from '../../services/ingestion/src/ingestion.service-definition';
import { MessageRecorder } from '../../services/ingestion/src/conversations/message-recorder';
import { VisitorMessageWriter } from '../../services/ingestion/src/conversations/visitor-message-writer';

async function main(): Promise<void> {
  const run = await TestRun.start();
  const { app, url } = await startService(run, ingestionService, { LOG_LEVEL: 'silent', DB_POOL_SIZE: '10', RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE: '1000000', RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE: '1000000' });
  const widgetKey = `xp-${run.prefix}`;
  await publishEvent(run.js, run.naming(), AccountUpdatedEvent, {
    accountId: randomUUID(), name: 'Bench', domain: 'bench.example', active: true, timeZone: 'UTC', defaultPhoneRegion: 'US',
    idleWindowSeconds: 3600, matchingPolicy: 'standard', fillFields: [], sharedIdentifierLimit: 5, identitySecret: 'bench-identity-secret', version: 1,
    channels: [{ kind: 'webchat', address: widgetKey, captureLeads: true, captureFields: ['email'] }],
  }, { source: 'accounts' });
  await eventually(async () => (await fetch(`${url}/v1/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widgetKey, deviceId: randomUUID(), clientMessageId: 'w', text: 'warm' }) })).status === 202 ? true : undefined, 20_000, 'account');
  const devices = Array.from({ length: 5000 }, () => randomUUID());
  let seq = 0;
  const one = () => { seq += 1; return app.inject({ method: 'POST', url: '/v1/webchat/messages', headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ widgetKey, deviceId: devices[seq % 5000], clientMessageId: `m${seq}`, text: `Hello, this is message ${seq}, my email is visitor${seq}@example.com` }) }); };
  const measure = async (name: string, total: number, concurrency = 32) => {
    const warm = 500; let done = 0;
    const worker = async (n: number) => { for (let i = 0; i < n; i += 1) { const r = await one(); if (r.statusCode !== 202) throw new Error(`${r.statusCode} ${r.body}`); done += 1; } };
    await Promise.all(Array.from({ length: concurrency }, () => worker(warm / concurrency)));
    await new Promise((r) => setTimeout(r, 500));
    const c0 = process.cpuUsage(); const t0 = Date.now();
    await Promise.all(Array.from({ length: concurrency }, () => worker(total / concurrency)));
    await new Promise((r) => setTimeout(r, 300)); // let the relay publish what is left
    const c = process.cpuUsage(c0);
    console.log(`${name}: ${((c.user + c.system) / 1000 / total).toFixed(3)} ms cpu/msg (user ${(c.user / 1000 / total).toFixed(3)}), ${(total / ((Date.now() - t0) / 1000)).toFixed(0)} msg/s wall`);
  };
  const writer = app.get(VisitorMessageWriter) as unknown as { maxInFlight: number };
  const stats = (globalThis as unknown as { XP?: { batches: number; messages: number } });
  await measure('warm-up', 4000);
  const results = new Map<string, number[]>();
  for (let round = 0; round < 4; round += 1) {
    for (const k of [8, 4, 2, 1]) {
      writer.maxInFlight = k;
      const c0 = process.cpuUsage();
      await measure(`K=${k}`, 3200);
      const c = process.cpuUsage(c0);
      results.set(`K=${k}`, [...(results.get(`K=${k}`) ?? []), (c.user + c.system) / 1000 / 3200]);
    }
  }
  for (const [k, v] of results) console.log(`${k}: median ${v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!.toFixed(3)} ms/msg  all ${v.map((x) => x.toFixed(3)).join(' ')}`);
  void stats;
  await app.close();
  await run.cleanup();
}
void main();
