import { ContactErasedEvent, LeadCreatedEvent, MemberRemovedEvent, NotificationDeliveredEvent, NotificationFailedEvent } from '@leadline/contracts';
import { collectEvents, eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressObject } from 'mailparser';
import { notificationsService } from '../notifications.service-definition';
import {
  APP_URL, handled, leadCreated, messageReceived, MessageReceivedEvent, seedAccount, type SeededMember,
} from '../test-support/fixtures';
import { SmtpInbox } from '../test-support/smtp-inbox';

describe('notifications by email, through a real SMTP server on loopback', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let smtp: SmtpInbox;
  let accountId: string;
  let ann: SeededMember;
  let cara: SeededMember;

  beforeAll(async () => {
    run = await TestRun.start();
    smtp = await SmtpInbox.start();
    ({ app } = await startService(run, notificationsService, {
      PUBLIC_APP_URL: APP_URL, SMTP_URL: smtp.url, DELIVERY_POLL_MS: '50', DELIVERY_RETRY_BASE_MS: '100', DELIVERY_MAX_ATTEMPTS: '3',
    }));
    const seeded = await seedAccount(run, [{ name: 'Ann', preference: 'all' }, { name: 'Cara', preference: 'mine', salesperson: true }],
      { domain: 'greengardens.example' });
    accountId = seeded.accountId;
    [ann, cara] = seeded.members as [SeededMember, SeededMember];
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await run?.cleanup();
  });

  const deliveries = (leadConversation: string) => run.query<{ status: string; attempts: number; id: string }>(
    `SELECT d.id, d.status, d.attempts FROM ${run.schema('notifications')}.deliveries d
     JOIN ${run.schema('notifications')}.notifications n ON n.id = d.notification_id WHERE n.conversation_id = $1`, [leadConversation]);
  const mailsAbout = (conversationId: string) => smtp.mails.filter((m) => m.text?.includes(conversationId));
  const address = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field[0] : field)?.value[0];

  it('mails each recipient once, from and reply-to noreply@<account domain>, with the subject, contact, summary and link', async () => {
    const lead = leadCreated(accountId);
    // Ann is on All events and follows the conversation too (she wrote in it): she is still mailed once.
    await handled(run, await publishEvent(run.js, run.naming(), MessageReceivedEvent,
      messageReceived(accountId, lead.conversationId!, { author: 'agent', memberId: ann.memberId, text: 'Hello, Ann here' })));
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const mails = await eventually(async () => (mailsAbout(lead.conversationId!).length >= 2 ? mailsAbout(lead.conversationId!) : undefined),
      15_000, 'two emails');
    expect(mails.map((m) => address(m.to)?.address).sort()).toEqual([ann.email, cara.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe('New Lead from Web Chat: John Smith');
      expect(address(mail.from)).toEqual({ name: 'Green Gardens', address: 'noreply@greengardens.example' });
      expect(address(mail.replyTo)?.address).toBe('noreply@greengardens.example');
      expect(mail.text).toContain(`Open the conversation: ${lead.conversationUrl}`);
      expect(mail.text).toContain('Email: john@email.com');
      expect(mail.text).toContain(`Summary: ${lead.summary}`);
      expect(mail.html).toContain(`href="${lead.conversationUrl}"`);
      expect(mail.html).toContain('<h2>New Lead: John Smith</h2>');
      expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@greengardens\.example>$/);
    }
    const rows = await eventually(async () => {
      const found = await deliveries(lead.conversationId!);
      return found.every((d) => d.status === 'delivered') ? found : undefined;
    }, 10_000, 'the deliveries to be marked delivered');
    expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
    const events = await collectEvents(run.js, run.naming(), NotificationDeliveredEvent,
      (e) => rows.some((r) => r.id === e.deliveryId), 2);
    expect(events.map((e) => e.data).sort((a, b) => a.recipient.localeCompare(b.recipient))).toEqual([
      expect.objectContaining({ channel: 'email', recipient: ann.email }), expect.objectContaining({ channel: 'email', recipient: cara.email }),
    ]);
    expect(mails.map((m) => m.messageId).sort()).toEqual(rows.map((r) => `<${r.id}@greengardens.example>`).sort());
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a (wrong) second mail to arrive
    expect(mailsAbout(lead.conversationId!)).toHaveLength(2);
  });

  it('retries a refused mail with a growing delay and sends it once it is accepted, never twice', async () => {
    smtp.refuseNext = 2;
    const lead = leadCreated(accountId);
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const rows = await eventually(async () => {
      const found = await deliveries(lead.conversationId!);
      return found.length === 2 && found.every((d) => d.status === 'delivered') ? found : undefined;
    }, 15_000, 'both deliveries after a retry');
    expect(smtp.refused).toBe(2);
    expect(rows.map((r) => r.attempts).reduce((a, b) => a + b)).toBe(4);
    expect(mailsAbout(lead.conversationId!)).toHaveLength(2);
    const log = await run.query<{ ok: boolean; error: string | null }>(
      `SELECT ok, error FROM ${run.schema('notifications')}.delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY at`,
      [rows.map((r) => r.id)]);
    expect(log.filter((a) => !a.ok).map((a) => a.error)).toEqual([expect.stringContaining('451'), expect.stringContaining('451')]);
  });

  it('gives a mail up as failed after DELIVERY_MAX_ATTEMPTS and says so in an event', async () => {
    smtp.refuseNext = 1_000;
    const lead = leadCreated(accountId);
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const rows = await eventually(async () => {
      const found = await deliveries(lead.conversationId!);
      return found.length === 2 && found.every((d) => d.status === 'failed') ? found : undefined;
    }, 15_000, 'both deliveries to fail');
    smtp.refuseNext = 0;
    expect(rows.map((r) => r.attempts)).toEqual([3, 3]);
    const failed = await collectEvents(run.js, run.naming(), NotificationFailedEvent, (e) => rows.some((r) => r.id === e.deliveryId), 2);
    expect(failed[0]!.data).toMatchObject({ channel: 'email', attempts: 3, error: expect.stringContaining('451') });
    expect(mailsAbout(lead.conversationId!)).toHaveLength(0);
  });

  it('takes over a delivery whose worker died mid-send once its lease runs out', async () => {
    const lead = leadCreated(accountId);
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const rows = await eventually(async () => {
      const found = await deliveries(lead.conversationId!);
      return found.length === 2 && found.every((d) => d.status === 'delivered') ? found : undefined;
    }, 10_000, 'the deliveries');
    // As a crashed replica leaves it: claimed, its lease over, never settled.
    await run.query(`UPDATE ${run.schema('notifications')}.deliveries SET status = 'sending', claim_token = gen_random_uuid(),
      lease_until = now() - interval '1 second', delivered_at = NULL WHERE id = $1`, [rows[0]!.id]);
    const settled = await eventually(async () => {
      const [row] = await run.query<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM ${run.schema('notifications')}.deliveries WHERE id = $1`, [rows[0]!.id]);
      return row?.status === 'delivered' && row.attempts === 2 ? row : undefined;
    }, 10_000, 'the abandoned delivery to be taken over');
    expect(settled.attempts).toBe(2);
    // Sent again under the same Message-ID, so the receiving side can recognise the repeat.
    expect(mailsAbout(lead.conversationId!).filter((m) => m.messageId === `<${rows[0]!.id}@greengardens.example>`)).toHaveLength(2);
  });
});

describe('queued mails, cancelled before they are sent', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let smtp: SmtpInbox;
  let accountId: string;
  let ann: SeededMember;
  let cara: SeededMember;

  beforeAll(async () => {
    run = await TestRun.start();
    smtp = await SmtpInbox.start();
    // A refused mail waits ten minutes for its next try: the test decides when that comes (no race with the worker).
    ({ app } = await startService(run, notificationsService, {
      PUBLIC_APP_URL: APP_URL, SMTP_URL: smtp.url, DELIVERY_POLL_MS: '50', DELIVERY_RETRY_BASE_MS: '600000',
    }));
    const seeded = await seedAccount(run, [{ name: 'Ann', preference: 'all' }, { name: 'Cara', preference: 'mine', salesperson: true }],
      { domain: 'greengardens.example' });
    accountId = seeded.accountId;
    [ann, cara] = seeded.members as [SeededMember, SeededMember];
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await run?.cleanup();
  });

  const deliveries = (conversationId: string) => run.query<{ status: string; attempts: number; id: string }>(
    `SELECT d.id, d.status, d.attempts FROM ${run.schema('notifications')}.deliveries d
     JOIN ${run.schema('notifications')}.notifications n ON n.id = d.notification_id WHERE n.conversation_id = $1`, [conversationId]);
  /** The conversation's two mails, refused once and waiting for their next try. */
  const parked = (conversationId: string) => eventually(async () => {
    const found = await deliveries(conversationId);
    return found.length === 2 && found.every((d) => d.status === 'pending' && d.attempts === 1) ? found : undefined;
  }, 15_000, 'the refused mails to wait for a later try');
  /** Their next try is due now. */
  const due = (ids: string[]) => run.query(`UPDATE ${run.schema('notifications')}.deliveries SET next_attempt_at = now()
    WHERE id = ANY($1::uuid[])`, [ids]);
  const mailsAbout = (conversationId: string) => smtp.mails.filter((m) => m.text?.includes(conversationId));
  const address = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field[0] : field)?.value[0];

  it('cancels queued mails about a contact who is erased, and sends nothing about them afterwards', async () => {
    smtp.refuseNext = 1_000;
    const lead = leadCreated(accountId);
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const queued = await parked(lead.conversationId!);
    await handled(run, await publishEvent(run.js, run.naming(), ContactErasedEvent, {
      accountId, contactId: lead.contactId, erasedAt: new Date().toISOString(),
    }));
    smtp.refuseNext = 0;
    await due(queued.map((d) => d.id));
    await new Promise((resolve) => setTimeout(resolve, 500)); // several polls of the worker
    expect((await deliveries(lead.conversationId!)).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect(mailsAbout(lead.conversationId!)).toHaveLength(0);
  });

  it('cancels mail queued for a member who leaves the account', async () => {
    smtp.refuseNext = 1_000;
    const lead = leadCreated(accountId);
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead);
    const queued = await parked(lead.conversationId!);
    await handled(run, await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId, memberId: cara.memberId }));
    smtp.refuseNext = 0;
    await due(queued.map((d) => d.id));
    const mails = await eventually(async () => (mailsAbout(lead.conversationId!).length > 0 ? mailsAbout(lead.conversationId!) : undefined),
      10_000, 'Ann\'s mail');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mails.map((m) => address(m.to)?.address)).toEqual([ann.email]);
    const states = await run.query<{ recipient: string; status: string }>(
      `SELECT recipient, status FROM ${run.schema('notifications')}.deliveries WHERE id = ANY($1::uuid[]) ORDER BY status`,
      [queued.map((d) => d.id)]);
    expect(states).toEqual([{ recipient: cara.memberId, status: 'cancelled' }, { recipient: ann.memberId, status: 'delivered' }]);
  });
});
