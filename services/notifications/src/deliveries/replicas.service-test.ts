import { LeadCreatedEvent, type LeadCreated } from '@leadline/contracts';
import { eventually, publishEvent, startService, systemHeaders, TestRun } from '@leadline/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { notificationsService } from '../notifications.service-definition';
import { api, APP_URL, handled, leadCreated, seedAccount } from '../test-support/fixtures';
import { SmtpInbox } from '../test-support/smtp-inbox';
import { WebhookReceiver } from '../test-support/webhook-receiver';

const LEADS = 40;
const MEMBERS = 3;

describe('two replicas of the notifications service', () => {
  let run: TestRun;
  let apps: NestFastifyApplication[] = [];
  let url: string;
  let smtp: SmtpInbox;
  let receiver: WebhookReceiver;
  let accountId: string;

  beforeAll(async () => {
    run = await TestRun.start();
    smtp = await SmtpInbox.start();
    receiver = await WebhookReceiver.start(200);
    const env = { PUBLIC_APP_URL: APP_URL, SMTP_URL: smtp.url, DELIVERY_POLL_MS: '20', DELIVERY_CONCURRENCY: '4' };
    const first = await startService(run, notificationsService, env);
    const second = await startService(run, notificationsService, env);
    apps = [first.app, second.app];
    url = first.url;
    ({ accountId } = await seedAccount(run, Array.from({ length: MEMBERS }, (_, i) => ({ name: `Member${i}`, preference: 'all' as const }))));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all([smtp?.stop(), receiver?.stop()]);
    await run?.cleanup();
  });

  /** Publishes an event again under its own ce-id but a new Nats-Msg-Id: a redelivery JetStream cannot de-duplicate. */
  async function redeliver(eventId: string, data: LeadCreated): Promise<void> {
    const h = natsHeaders();
    h.set('ce-specversion', '1.0');
    h.set('ce-id', eventId);
    h.set('ce-type', LeadCreatedEvent.type);
    h.set('ce-source', 'leads');
    h.set('ce-time', new Date().toISOString());
    h.set('content-type', 'application/json');
    await run.js.publish(run.naming().subject(LeadCreatedEvent.subject), JSON.stringify(data), { headers: h, msgID: randomUUID() });
  }

  it('sends every email and webhook exactly once, with both delivery workers sharing the work, even when events come again', async () => {
    const endpoint = await api(url, 'POST', '/v1/webhooks', systemHeaders(accountId), { url: receiver.url });
    expect(endpoint.status).toBe(201);
    const leads = Array.from({ length: LEADS }, () => leadCreated(accountId));
    const ids = await Promise.all(leads.map((lead) => publishEvent(run.js, run.naming(), LeadCreatedEvent, lead)));
    const expectedMails = LEADS * MEMBERS;
    await eventually(async () => (smtp.mails.length >= expectedMails && receiver.received.length >= LEADS ? true : undefined),
      30_000, `${expectedMails} emails and ${LEADS} webhooks`).catch(async (error: Error) => {
      const states = await run.query(`SELECT channel, status, count(*)::int AS n, max(last_error) AS error
        FROM ${run.schema('notifications')}.deliveries GROUP BY 1, 2`);
      throw new Error(`${error.message}: ${smtp.mails.length} mails, ${receiver.received.length} webhooks, ${JSON.stringify(states)}`);
    });

    // The inbox forgets (as if cleaned up) and every event comes again: rows are unique, so nothing is sent twice.
    await run.query(`DELETE FROM ${run.schema('notifications')}.inbox_events WHERE consumer LIKE '%notify-new-lead'`);
    await Promise.all(leads.map((lead, i) => redeliver(ids[i]!, lead)));
    for (const id of ids) await handled(run, id);
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for any (wrong) second send to arrive

    expect(smtp.mails).toHaveLength(expectedMails);
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(expectedMails);
    expect(receiver.received).toHaveLength(LEADS);
    expect(new Set(receiver.received.map((r) => r.headers['leadline-webhook-id'])).size).toBe(LEADS);
    const schema = run.schema('notifications');
    const [counts] = await run.query<{ notifications: number; delivered: number; attempts: number; workers: number }>(
      `SELECT (SELECT count(*)::int FROM ${schema}.notifications) AS notifications,
              (SELECT count(*)::int FROM ${schema}.deliveries WHERE status = 'delivered' AND attempts = 1) AS delivered,
              (SELECT count(*)::int FROM ${schema}.delivery_attempts) AS attempts,
              (SELECT count(DISTINCT worker)::int FROM ${schema}.delivery_attempts) AS workers`);
    expect(counts).toEqual({ notifications: expectedMails, delivered: expectedMails + LEADS, attempts: expectedMails + LEADS, workers: 2 });
  });
});
