import { ContactMatchedEvent, LeadCreatedEvent, NotificationDeliveredEvent, NotificationFailedEvent } from '@leadline/contracts';
import { awaitEvent, eventually, memberHeaders, publishEvent, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { notificationsService } from '../notifications.service-definition';
import { api, APP_URL, contactMatched, handled, leadCreated, seedAccount } from '../test-support/fixtures';
import { WebhookReceiver } from '../test-support/webhook-receiver';
import { verifyWebhook } from './webhook-signature';

interface Endpoint {
  id: string;
  secret: string;
  active: boolean;
  consecutiveFailures: number;
  disabledReason: string | null;
}

interface LogEntry {
  id: string;
  status: string;
  attempts: number;
  type: string;
  attemptLog: { attempt: number; ok: boolean; statusCode: number | null; error: string | null }[];
}

describe('webhooks for internal systems', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let accountId: string;
  let up: WebhookReceiver;
  let down: WebhookReceiver;
  const admin = () => systemHeaders(accountId);

  beforeAll(async () => {
    run = await TestRun.start();
    [up, down] = await Promise.all([WebhookReceiver.start(200), WebhookReceiver.start(200)]);
    down.hang = true;
    ({ app, url } = await startService(run, notificationsService, {
      PUBLIC_APP_URL: APP_URL, DELIVERY_POLL_MS: '50', DELIVERY_RETRY_BASE_MS: '200', WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_DISABLE_AFTER: '3', DELIVERY_MAX_ATTEMPTS: '10',
    }));
    ({ accountId } = await seedAccount(run, [{ name: 'Ann', preference: 'all' }]));
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([up?.stop(), down?.stop()]);
    await run?.cleanup();
  });

  it('registers endpoints per account, refusing bad input and hiding other accounts\' ones', async () => {
    const bad = await api<{ fields: { field: string }[] }>(url, 'POST', '/v1/webhooks', admin(), { url: 'ftp://x', kinds: ['gossip'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.field).sort()).toEqual(['kinds', 'url']);
    const agent = await api(url, 'POST', '/v1/webhooks', memberHeaders(accountId, { memberId: randomUUID(), role: 'agent' }), { url: up.url });
    expect(agent.status).toBe(403);
    const created = await api<Endpoint>(url, 'POST', '/v1/webhooks', admin(), { url: 'http://127.0.0.1:9/x' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect((await api(url, 'GET', `/v1/webhooks/${created.body.id}`, systemHeaders(randomUUID()))).status).toBe(404);
    const listed = await api<Endpoint[]>(url, 'GET', '/v1/webhooks', admin());
    expect(listed.body.map((e) => e.id)).toEqual([created.body.id]);
    expect(listed.body[0]).not.toHaveProperty('secret');
    expect((await api(url, 'DELETE', `/v1/webhooks/${created.body.id}`, admin())).status).toBe(204);
    expect((await api(url, 'GET', `/v1/webhooks/${created.body.id}`, admin())).status).toBe(404);
  });

  it('delivers promptly to a working endpoint while a hanging one is retried, then switched off', async () => {
    const good = (await api<Endpoint>(url, 'POST', '/v1/webhooks', admin(), { url: up.url, kinds: ['new_lead'] })).body;
    const bad = (await api<Endpoint>(url, 'POST', '/v1/webhooks', admin(), { url: down.url })).body;
    const lead = leadCreated(accountId);
    const published = Date.now();
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);

    const hit = await eventually(async () => up.received.find((r) => r.body.includes(lead.leadId)), 10_000, 'the working endpoint');
    expect(hit.at - published).toBeLessThan(2_500); // not held up by the hanging endpoint's 3 s timeout
    const timestamp = Number(hit.headers['leadline-timestamp']);
    expect(verifyWebhook(good.secret, timestamp, hit.body, String(hit.headers['leadline-signature']))).toBe(true);
    expect(verifyWebhook(bad.secret, timestamp, hit.body, String(hit.headers['leadline-signature']))).toBe(false);
    const payload = JSON.parse(hit.body) as { id: string; type: string; accountId: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      id: hit.headers['leadline-webhook-id'], type: 'new_lead', accountId,
      data: expect.objectContaining({ title: 'New Lead: John Smith', conversationUrl: lead.conversationUrl, summary: lead.summary }),
    });
    const delivered = await awaitEvent(run.js, run.naming(), NotificationDeliveredEvent, (e) => e.endpointId === good.id);
    expect(delivered.data).toMatchObject({ channel: 'webhook', deliveryId: payload.id, recipient: good.id });

    const disabled = await eventually(async () => {
      const e = (await api<Endpoint>(url, 'GET', `/v1/webhooks/${bad.id}`, admin())).body;
      return e.active ? undefined : e;
    }, 25_000, 'the hanging endpoint to be switched off');
    expect(disabled).toMatchObject({ consecutiveFailures: 3, disabledReason: expect.stringContaining('3 consecutive') });
    expect(down.received.filter((r) => r.body.includes(lead.leadId))).toHaveLength(3);
    const failed = await awaitEvent(run.js, run.naming(), NotificationFailedEvent, (e) => e.endpointId === bad.id);
    expect(failed.data).toMatchObject({ channel: 'webhook', attempts: 3 });

    const log = (await api<LogEntry[]>(url, 'GET', `/v1/webhooks/${bad.id}/deliveries`, admin())).body;
    expect(log).toEqual([expect.objectContaining({ status: 'failed', attempts: 3, type: 'new_lead' })]);
    expect(log[0]!.attemptLog.map((a) => [a.attempt, a.ok])).toEqual([[1, false], [2, false], [3, false]]);
    expect(log[0]!.attemptLog[0]!.error).toContain('no answer within 3000 ms');
    const goodLog = (await api<LogEntry[]>(url, 'GET', `/v1/webhooks/${good.id}/deliveries`, admin())).body;
    expect(goodLog).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);

    // Kinds filter the working endpoint; the switched-off one gets nothing until it is switched back on.
    await handled(run, await publishEvent(run.js, run.naming(), ContactMatchedEvent, contactMatched(accountId)));
    expect((await api<LogEntry[]>(url, 'GET', `/v1/webhooks/${good.id}/deliveries`, admin())).body).toHaveLength(1);
    expect((await api<LogEntry[]>(url, 'GET', `/v1/webhooks/${bad.id}/deliveries`, admin())).body).toHaveLength(1);

    down.hang = false;
    const revived = await api<Endpoint>(url, 'PATCH', `/v1/webhooks/${bad.id}`, admin(), { active: true });
    expect(revived.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
    const matched = contactMatched(accountId);
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matched);
    await eventually(async () => down.received.find((r) => r.body.includes(matched.conversationId) && r.body.includes('conversation_update')),
      10_000, 'the revived endpoint');
  });

  it('retries an endpoint that answers an error, with growing delays, until it recovers', async () => {
    const flaky = await WebhookReceiver.start(503);
    try {
      const endpoint = (await api<Endpoint>(url, 'POST', '/v1/webhooks', admin(), { url: flaky.url, kinds: ['new_lead'] })).body;
      const lead = leadCreated(accountId);
      await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
      await eventually(async () => (flaky.received.length >= 2 ? true : undefined), 10_000, 'two failed attempts');
      flaky.status = 204;
      const log = await eventually(async () => {
        const entries = (await api<LogEntry[]>(url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries`, admin())).body;
        return entries[0]?.status === 'delivered' ? entries[0] : undefined;
      }, 10_000, 'the delivery to succeed');
      expect(log.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 204]);
      const gaps = flaky.received.slice(1).map((r, i) => r.at - flaky.received[i]!.at);
      expect(gaps[1]!).toBeGreaterThan(gaps[0]!); // 200 ms, then 400 ms
      expect(gaps[0]!).toBeGreaterThanOrEqual(150);
      const endpointNow = (await api<Endpoint>(url, 'GET', `/v1/webhooks/${endpoint.id}`, admin())).body;
      expect(endpointNow).toMatchObject({ active: true, consecutiveFailures: 0 });
    } finally {
      await flaky.stop();
    }
  });
});
