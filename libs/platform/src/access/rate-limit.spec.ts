import { Body, Controller, Module, Post } from '@nestjs/common';
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
});

@Controller('webchat')
class WidgetController {
  @Post('messages')
  @WebchatRateLimit()
  message(@Body() body: unknown) {
    return body;
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

  const send = (widgetKey: string, deviceId: string) => fetch(`${url}/webchat/messages`, {
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

  it('answers 429 past the per-widget limit, whatever the device, and leaves other widgets alone', async () => {
    for (const device of ['d3', 'd4']) expect((await send('w2', device)).status).toBe(201);
    for (const device of ['d5', 'd6', 'd7']) expect((await send('w2', device)).status).toBe(201);
    expect((await send('w2', 'd8')).status).toBe(429);
    expect((await send('w3', 'd8')).status).toBe(201);
  });
});
