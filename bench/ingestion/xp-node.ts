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
  const mode = process.argv[2] ?? 'all';
  for (let round = 0; round < 2; round += 1) {
    if (mode === 'all' || mode === 'full') await measure('full path', 4000);
    if (mode === 'all' || mode === 'norelay') {
      const relay = app.get(OutboxRelay);
      await relay.stop();
      await measure('full path, relay stopped', 4000);
      relay.start();
      await new Promise((r) => setTimeout(r, 3000));
    }
    if (mode === 'all' || mode === 'nowrite') {
      const writer = app.get(VisitorMessageWriter);
      const original = writer.write.bind(writer);
      (writer as unknown as { write: unknown }).write = async () => ({ conversationId: randomUUID(), messageId: randomUUID(), duplicate: false });
      await measure('no writer (HTTP/Nest/validation/controller only)', 4000);
      const recorder = app.get(MessageRecorder);
      const rec = recorder.record.bind(recorder);
      (recorder as unknown as { record: unknown }).record = async () => ({ conversationId: randomUUID(), messageId: randomUUID(), duplicate: false });
      await measure('no recorder', 4000);
      (recorder as unknown as { record: unknown }).record = rec;
      (writer as unknown as { write: unknown }).write = original;
    }
  }
  await app.close();
  await run.cleanup();
}
void main();
