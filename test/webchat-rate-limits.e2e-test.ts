import { eventually, operatorHeaders, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { accountsService } from '../services/accounts/src/accounts.service-definition';
import { ingestionService } from '../services/ingestion/src/ingestion.service-definition';

/**
 * The public web chat endpoints of the real ingestion service are limited per widget and per device of a widget
 * (RATE_LIMIT_WEBCHAT_*), and past the limit answer 429 with Retry-After and store nothing. Limits are set low
 * here so the counts are exact: every request counts once, across the message and session endpoints.
 */
const DEVICE_LIMIT = 3;
const WIDGET_LIMIT = 5;

describe('rate limits on the public web chat endpoints', () => {
  let run: TestRun;
  const apps: NestFastifyApplication[] = [];
  const urls: Record<string, string> = {};
  const widget = `widget-limited-${randomUUID()}`;
  const otherWidget = `widget-other-${randomUUID()}`;
  let accountId: string;

  beforeAll(async () => {
    run = await TestRun.start();
    const env = { RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE: String(DEVICE_LIMIT), RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE: String(WIDGET_LIMIT) };
    for (const definition of [accountsService, ingestionService]) {
      const started = await startService(run, definition as never, env);
      apps.push(started.app);
      urls[definition.name] = started.url;
    }
    const created = await fetch(`${urls['accounts']}/v1/accounts`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...operatorHeaders() },
      body: JSON.stringify({ name: 'Limited', domain: 'limited.example', channels: [
        { kind: 'webchat', address: widget }, { kind: 'webchat', address: otherWidget },
      ] }),
    });
    expect(created.status).toBe(201);
    accountId = ((await created.json()) as { id: string }).id;
    // Wait on ingestion's table, not its API: every request to the widget endpoints would spend the budget.
    await eventually(async () => ((await routes()) === 2 ? true : undefined), 15_000, 'ingestion to learn the widgets');
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await run?.cleanup();
  });

  async function routes(): Promise<number> {
    const [row] = await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${run.schema('ingestion')}.channel_routes WHERE account_id = $1`, [accountId]).catch(() => [{ n: 0 }]);
    return row!.n;
  }

  const storedMessages = async () => (await run.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${run.schema('ingestion')}.messages WHERE account_id = $1`, [accountId]))[0]!.n;

  const post = (path: string, body: Record<string, unknown>) => fetch(`${urls['ingestion']}/v1/webchat/${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const message = (widgetKey: string, deviceId: string) =>
    post('messages', { widgetKey, deviceId, clientMessageId: randomUUID(), text: 'Hello, do you deliver on Sundays?' });

  it('allows a device its limit across the message and session endpoints, then 429 with Retry-After, storing nothing more', async () => {
    const device = randomUUID();
    expect((await post('sessions', { widgetKey: widget, deviceId: device })).status).toBe(201);
    expect((await message(widget, device)).status).toBe(202);
    expect((await message(widget, device)).status).toBe(202);
    const limited = await message(widget, device);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post('sessions', { widgetKey: widget, deviceId: device })).status).toBe(429);
    expect(await storedMessages()).toBe(2);
  });

  it('limits the widget as a whole, whatever the device, and leaves the account\'s other widget alone', async () => {
    // The widget has spent 3 of its 5 (the test above): two more devices get one message each, the third none.
    expect((await message(widget, randomUUID())).status).toBe(202);
    expect((await message(widget, randomUUID())).status).toBe(202);
    expect((await message(widget, randomUUID())).status).toBe(429);
    expect((await message(otherWidget, randomUUID())).status).toBe(202);
    expect(await storedMessages()).toBe(5);
  });

  it('limits reading the conversation per visitor session', async () => {
    const device = randomUUID();
    const session = await post('sessions', { widgetKey: otherWidget, deviceId: device });
    expect(session.status).toBe(201);
    const { sessionToken, header } = (await session.json()) as { sessionToken: string; header: string };
    const read = () => fetch(`${urls['ingestion']}/v1/webchat/conversation`, { headers: { [header]: sessionToken } });
    for (let i = 0; i < DEVICE_LIMIT; i += 1) expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(429);
  });
});
