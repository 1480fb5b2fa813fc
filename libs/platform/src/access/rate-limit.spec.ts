import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateKeyPairSync } from 'node:crypto';
import { createServiceApp } from '../service-app';
import { ACCESS_OPTIONS } from './access.options';
import { TokenBuckets, WebchatRateLimit, WebchatRateLimitGuard } from './rate-limit';

describe('token buckets', () => {
  it('allows the rate per minute as a burst, then one more per 60/rate seconds, per key', () => {
    const buckets = new TokenBuckets(3);
    const t0 = 1_000_000;
    expect([buckets.take('a', t0), buckets.take('a', t0), buckets.take('a', t0)]).toEqual([undefined, undefined, undefined]);
    expect(buckets.take('a', t0)).toBe(20);
    expect(buckets.take('b', t0)).toBeUndefined();
    expect(buckets.take('a', t0 + 19_000)).toBe(1);
    expect(buckets.take('a', t0 + 20_000)).toBeUndefined();
  });

  it('forgets the least recently used key beyond its size, so memory stays bounded', () => {
    const buckets = new TokenBuckets(1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 0);
    expect(buckets.take('a', 0)).toBeUndefined(); // forgotten, so full again
    expect(buckets.take('c', 0)).toBe(60);
  });

  it('drops the buckets of keys idle for a minute (full again), keeping those still refilling', () => {
    const buckets = new TokenBuckets(2);
    for (let device = 0; device < 1000; device++) buckets.take(`device-${device}`, 0);
    buckets.take('busy', 50_000);
    buckets.take('busy', 50_000);

    expect(buckets.take('newcomer', 60_000)).toBeUndefined();
    expect(buckets.size).toBe(2); // the thousand idle devices are gone
    expect(buckets.take('busy', 60_000)).toBe(20); // still limited (a third of a token back): kept
  });
});

@Controller('webchat')
class WidgetController {
  @Post('messages')
  @WebchatRateLimit()
  message(@Body() body: unknown) {
    return body;
  }

  /** The decorator twice (as a copy-paste leaves it): each request must still count once. */
  @Post('sessions')
  @WebchatRateLimit()
  @WebchatRateLimit()
  session(@Body() body: unknown) {
    return body;
  }

  /** A session-keyed endpoint: the visitor session header names the device. */
  @Get('conversation')
  @WebchatRateLimit({ deviceHeader: 'x-visitor-session' })
  conversation() {
    return { ok: true };
  }
}

@Module({
  controllers: [WidgetController],
  providers: [WebchatRateLimitGuard, {
    provide: ACCESS_OPTIONS,
    useValue: { sessionPublicKey: generateKeyPairSync('ed25519').publicKey, rateLimits: { webchatWidgetPerMinute: 5, webchatDevicePerMinute: 2 } },
  }],
})
class WidgetModule {}

describe('@WebchatRateLimit()', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await createServiceApp(WidgetModule, { serviceName: 'test', logLevel: 'silent' });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const send = (widgetKey: string, deviceId: string, path = 'messages') => fetch(`${url}/webchat/${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ widgetKey, deviceId }),
  });

  it('answers 429 with Retry-After past the per-device limit, while other devices of the widget go on', async () => {
    expect((await send('w1', 'd1')).status).toBe(201);
    expect((await send('w1', 'd1')).status).toBe(201);
    const limited = await send('w1', 'd1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await send('w1', 'd2')).status).toBe(201);
  });

  it('does not spend the widget\'s budget on a device refused for its own limit', async () => {
    for (let i = 0; i < 2; i += 1) expect((await send('w5', 'flood')).status).toBe(201);
    for (let i = 0; i < 10; i += 1) expect((await send('w5', 'flood')).status).toBe(429);
    for (const device of ['a', 'b', 'c']) expect((await send('w5', device)).status).toBe(201);
    expect((await send('w5', 'd')).status).toBe(429);
  });

  it('answers 429 past the per-widget limit, whatever the device, and leaves other widgets alone', async () => {
    for (const device of ['d3', 'd4']) expect((await send('w2', device)).status).toBe(201);
    for (const device of ['d5', 'd6', 'd7']) expect((await send('w2', device)).status).toBe(201);
    expect((await send('w2', 'd8')).status).toBe(429);
    expect((await send('w3', 'd8')).status).toBe(201);
  });

  it('counts a request once however many times the decorator is applied', async () => {
    expect((await send('w4', 'd1', 'sessions')).status).toBe(201);
    expect((await send('w4', 'd1', 'sessions')).status).toBe(201);
    expect((await send('w4', 'd1', 'sessions')).status).toBe(429);
  });

  it('limits a session-keyed endpoint per session, each session on its own', async () => {
    const read = (session: string) => fetch(`${url}/webchat/conversation`, { headers: { 'x-visitor-session': session } });
    expect((await read('token-1')).status).toBe(200);
    expect((await read('token-1')).status).toBe(200);
    const limited = await read('token-1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await read('token-2')).status).toBe(200);
  });
});
