import { LeadCreatedEvent } from '@leadline/contracts';
import { eventually, publishEvent, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { notificationsService } from '../notifications.service-definition';
import { api, APP_URL, leadCreated, seedAccount } from '../test-support/fixtures';
import { SmtpInbox } from '../test-support/smtp-inbox';
import { WebhookReceiver } from '../test-support/webhook-receiver';

const LEADS = 6;
const PER_DESTINATION = 2;

describe('a hanging SMTP server and a hanging endpoint never hold up a working endpoint', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let smtp: SmtpInbox;
  let stuck: WebhookReceiver;
  let working: WebhookReceiver;
  let accountId: string;

  beforeAll(async () => {
    run = await TestRun.start();
    smtp = await SmtpInbox.start();
    smtp.hang = true;
    [stuck, working] = await Promise.all([WebhookReceiver.start(200), WebhookReceiver.start(200)]);
    stuck.hang = true;
    // Six slots, two per destination: two for the SMTP server, two for each endpoint. Failed attempts come back only
    // after a minute, so every attempt seen here is a first one.
    ({ app, url } = await startService(run, notificationsService, {
      PUBLIC_APP_URL: APP_URL, SMTP_URL: smtp.url, SMTP_TIMEOUT_MS: '8000', WEBHOOK_TIMEOUT_MS: '8000', DELIVERY_POLL_MS: '50',
      DELIVERY_CONCURRENCY: String(3 * PER_DESTINATION), DELIVERY_CONCURRENCY_PER_DESTINATION: String(PER_DESTINATION),
      DELIVERY_RETRY_BASE_MS: '60000', WEBHOOK_DISABLE_AFTER: '100',
    }));
    ({ accountId } = await seedAccount(run, [{ name: 'Ann', preference: 'all' }, { name: 'Cara', preference: 'all' }]));
  });

  afterAll(async () => {
    await stuck?.stop(); // its calls end at once; the held mails end with the SMTP timeout
    await app?.close();
    await Promise.all([smtp?.stop(), working?.stop()]);
    await run?.cleanup();
  });

  it('sends every delivery to the working endpoint before any hanging one has given up, with each destination in its own slots', async () => {
    const create = (receiver: WebhookReceiver) => api<{ id: string }>(url, 'POST', '/v1/webhooks', systemHeaders(accountId),
      { url: receiver.url, kinds: ['new_lead'] });
    const stuckEndpoint = (await create(stuck)).body;
    await create(working);
    // 12 mails and 6 calls that hang, 6 calls that work: due together, far more than the six slots.
    const leads = Array.from({ length: LEADS }, () => leadCreated(accountId));
    await Promise.all(leads.map((lead) => publishEvent(run.js, run.naming(), LeadCreatedEvent, lead)));

    await eventually(async () => (working.received.length === LEADS ? true : undefined), 15_000, `${LEADS} calls to the working endpoint`);
    const schema = run.schema('notifications');
    const [state] = await run.query<{ finished: number; mails: number; stuck: number }>(
      `SELECT (SELECT count(*)::int FROM ${schema}.delivery_attempts a JOIN ${schema}.deliveries d ON d.id = a.delivery_id
               WHERE d.channel = 'email' OR d.endpoint_id = $1) AS finished,
              (SELECT count(*)::int FROM ${schema}.deliveries WHERE channel = 'email' AND status = 'sending') AS mails,
              (SELECT count(*)::int FROM ${schema}.deliveries WHERE endpoint_id = $1 AND status = 'sending') AS stuck`,
      [stuckEndpoint.id]);
    // No working call waited for a hanging one to time out; the hanging destinations hold only their own slots.
    expect(state).toEqual({ finished: 0, mails: PER_DESTINATION, stuck: PER_DESTINATION });
    expect(new Set(working.received.map((r) => JSON.parse(r.body).data.leadId))).toEqual(new Set(leads.map((l) => l.leadId)));
    expect(smtp.held).toBeLessThanOrEqual(PER_DESTINATION);
    expect(stuck.received.length).toBeLessThanOrEqual(PER_DESTINATION);
  });
});
