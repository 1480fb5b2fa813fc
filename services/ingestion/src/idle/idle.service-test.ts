import { ConversationIdleEvent, type ConversationIdle } from '@leadline/contracts';
import { collectEvents, memberHeaders, type SeenEvent, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { IdleScheduler } from './idle-scheduler';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';

/**
 * Two instances of the service on one schema, both scanning for idle conversations every 50 ms: each quiet period
 * gives exactly one idle event, and a restart loses none.
 */
describe('idle detection with two scheduler instances', () => {
  let run: TestRun;
  const apps: NestFastifyApplication[] = [];
  let urls: string[] = [];
  let accountId: string;
  const widgetKey = `widget-${randomUUID()}`;

  const start = async () => {
    const started = await startIngestion(run, { IDLE_SCAN_INTERVAL_MS: '50', IDLE_SCAN_BATCH: '3' });
    apps.push(started.app);
    return started;
  };

  beforeAll(async () => {
    run = await TestRun.start();
    urls = [(await start()).url, (await start()).url];
    // 3 s: long enough that a loaded machine's slow requests still fall in one quiet period.
    const account = anAccount(run, { idleWindowSeconds: 3, channels: [aChannel('webchat', widgetKey)] });
    accountId = account.accountId;
    await announceAccount(run, account);
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await run?.cleanup();
  });

  const message = async (deviceId: string, clientMessageId: string, i = 0) => {
    const sent = await send(`${urls[i % urls.length]}/v1/webchat/messages`, { json: { widgetKey, deviceId, clientMessageId, text: `message ${clientMessageId}` } });
    expect(sent.status).toBe(202);
    return sent.body['conversationId'] as string;
  };

  /** All idle events of these conversations; waits for `expected`, then makes sure no more come. */
  const idleEvents = async (conversationIds: string[], expected: number): Promise<SeenEvent<ConversationIdle>[]> => {
    const mine = (e: ConversationIdle) => conversationIds.includes(e.conversationId);
    const events = await collectEvents(run.js, run.naming(), ConversationIdleEvent, mine, expected, 20_000);
    await expect(collectEvents(run.js, run.naming(), ConversationIdleEvent, mine, expected + 1, 2500)).rejects.toThrow(/saw/);
    return events;
  };

  it('publishes one idle event per quiet period, only when the visitor wrote since the last one', async () => {
    const devices = Array.from({ length: 12 }, () => randomUUID());
    const ids = await Promise.all(devices.map((deviceId, i) => message(deviceId, 'first', i)));
    await Promise.all(devices.slice(0, 6).map((deviceId, i) => message(deviceId, 'second', i + 1)));

    const first = await idleEvents(ids, 12);
    expect(new Set(first.map((e) => e.data.conversationId)).size).toBe(12);
    expect(first.every((e) => e.data.cycle === 1)).toBe(true);
    const twoMessages = first.find((e) => e.data.conversationId === ids[0])!;
    expect(twoMessages.data.transcript.map((m) => m.text)).toEqual(['message first', 'message second']);
    expect(twoMessages.data.newMessageIds).toHaveLength(2);

    // A reply (here the AI's) is not the visitor writing: no new quiet period for it.
    expect((await send(`${urls[0]}/v1/conversations/${ids[11]}/replies`, {
      json: { author: 'ai', clientMessageId: 'r', text: 'anything else?' }, headers: memberHeaders(accountId),
    })).status).toBe(202);
    // The visitor writes again in three of them: a second quiet period, cycle 2, carrying only the new message as new.
    await Promise.all(devices.slice(0, 3).map((deviceId, i) => message(deviceId, 'third', i)));
    const all = await idleEvents(ids, 15);
    const second = all.filter((e) => e.data.cycle === 2);
    expect(second.map((e) => e.data.conversationId).sort()).toEqual(ids.slice(0, 3).sort());
    expect(second.every((e) => e.data.newMessageIds.length === 1)).toBe(true);
  });

  it('carries the capture settings of the channel the conversation came in on, not of its kind\'s first', async () => {
    const [quiet, emailOnly] = [`widget-off-${randomUUID()}`, `widget-email-${randomUUID()}`];
    const account = anAccount(run, {
      idleWindowSeconds: 1,
      channels: [
        { ...aChannel('webchat', quiet), captureLeads: false },
        { ...aChannel('webchat', emailOnly), captureFields: ['email'] },
      ],
    });
    await announceAccount(run, account);
    const post = async (key: string) => {
      const sent = await send(`${urls[0]}/v1/webchat/messages`, { json: { widgetKey: key, deviceId: randomUUID(), clientMessageId: '1', text: 'hi' } });
      expect(sent.status).toBe(202);
      return sent.body['conversationId'] as string;
    };
    const [fromQuiet, fromEmailOnly] = [await post(quiet), await post(emailOnly)];
    const events = await idleEvents([fromQuiet, fromEmailOnly], 2);
    const captureOf = (id: string) => events.find((e) => e.data.conversationId === id)!.data.capture;
    expect(captureOf(fromQuiet)).toEqual({ captureLeads: false, fields: ['firstName', 'lastName', 'email', 'phone'] });
    expect(captureOf(fromEmailOnly)).toEqual({ captureLeads: true, fields: ['email'] });
  });

  it('loses and repeats no idle event when every instance restarts inside the quiet period', async () => {
    const devices = Array.from({ length: 5 }, () => randomUUID());
    const ids = await Promise.all(devices.map((deviceId, i) => message(deviceId, 'before-restart', i)));
    for (const app of apps.splice(0)) await app.close();
    urls = [(await start()).url, (await start()).url];
    const events = await idleEvents(ids, 5);
    expect(events.map((e) => e.data.conversationId).sort()).toEqual([...ids].sort());
    const pending = await ingestionRows<{ n: number }>(run,
      `SELECT count(*)::int AS n FROM ingestion.conversations WHERE id = ANY($1::uuid[]) AND idle_deadline IS NOT NULL`, [ids]);
    expect(pending).toEqual([{ n: 0 }]);
  });

  it('never lets two schedulers scanning at the same moment take the same conversation', async () => {
    // Two more instances whose timers never fire in this test: their scans are driven by hand, all at once.
    const manual = await Promise.all([1, 2].map(() => startIngestion(run, { IDLE_SCAN_INTERVAL_MS: '60000', IDLE_SCAN_BATCH: '4' })));
    apps.push(...manual.map((m) => m.app));
    const schedulers = manual.map((m) => m.app.get(IdleScheduler));
    const devices = Array.from({ length: 10 }, () => randomUUID());
    const ids = await Promise.all(devices.map((deviceId, i) => message(deviceId, 'race', i)));
    for (const app of apps.splice(0, 2)) await app.close(); // the timed schedulers stop: only the manual ones scan
    await ingestionRows(run, `UPDATE ingestion.conversations SET idle_deadline = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [ids]);
    let taken = 0;
    for (let round = 0; round < 10; round += 1) {
      const counts = await Promise.all([...schedulers, ...schedulers].map((s) => s.scanOnce()));
      taken += counts.reduce((a, b) => a + b, 0);
    }
    expect(taken).toBe(10);
    const events = await idleEvents(ids, 10);
    expect(new Set(events.map((e) => e.data.conversationId)).size).toBe(10);
  });
});
