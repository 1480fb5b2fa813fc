import { ContactCreatedEvent, ContactMatchedEvent, LeadCreatedEvent } from '@leadline/contracts';
import { collectEvents, eventually, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../../../leads/src/leads.service-definition';
import { identityService } from '../identity.service-definition';
import { analyzed, publishAccount, publishAnalyzed } from './test-events';

/**
 * 50 conversations, each from its own browser, all giving the same email, analysed at the same moment and
 * handled by two identity replicas sharing the durable consumer, each event in its own transaction (batch size 1,
 * so the replicas really interleave): one contact, and one New Lead.
 */
describe('50 conversations racing with one email', () => {
  const CONVERSATIONS = 50;
  let run: TestRun;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    run = await TestRun.start();
    apps.push((await startService(run, identityService, { CONSUMER_BATCH_SIZE: '1' })).app);
    apps.push((await startService(run, identityService, { CONSUMER_BATCH_SIZE: '1' })).app);
    apps.push((await startService(run, leadsService)).app);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await run?.cleanup();
  });

  it('end in one contact and one New Lead', async () => {
    const accountId = randomUUID();
    await publishAccount(run, accountId);
    const events = Array.from({ length: CONVERSATIONS }, (_, i) =>
      analyzed(accountId, { firstName: 'Race', lastName: `Runner${i}`, email: i % 2 ? 'Race@Example.com' : 'race@example.com ' }));
    await Promise.all(events.map((event) => publishAnalyzed(run, event)));

    const conversations = new Set(events.map((e) => e.conversationId));
    const created = await collectEvents(run.js, run.naming(), ContactCreatedEvent, (e) => e.accountId === accountId, 1, 30_000);
    const matched = await collectEvents(run.js, run.naming(), ContactMatchedEvent, (e) => e.accountId === accountId, CONVERSATIONS - 1, 30_000);
    const contactId = created[0]!.data.contactId;
    expect(new Set([...created, ...matched].map((e) => e.data.conversationId))).toEqual(conversations);
    expect(matched.every((e) => e.data.contactId === contactId && e.data.matchedBy === 'email')).toBe(true);

    const schema = run.schema('identity');
    const contacts = await run.query(`SELECT id FROM ${schema}.contacts WHERE account_id = $1`, [accountId]);
    expect(contacts).toEqual([{ id: contactId }]);
    const links = await run.query<{ n: number }>(`SELECT count(DISTINCT conversation_id)::int AS n FROM ${schema}.conversation_links WHERE contact_id = $1`, [contactId]);
    expect(links).toEqual([{ n: CONVERSATIONS }]);
    const emails = await run.query(`SELECT value FROM ${schema}.identifiers WHERE account_id = $1 AND kind = 'email'`, [accountId]);
    expect(emails).toEqual([{ value: 'race@example.com' }]);

    // The database itself refuses a second holder of the email in the account, whoever writes it.
    const intruder = randomUUID();
    await run.query(`INSERT INTO ${schema}.contacts (id, account_id) VALUES ($1, $2)`, [intruder, accountId]);
    await expect(run.query(`INSERT INTO ${schema}.identifiers (id, account_id, contact_id, kind, value, source)
                            VALUES ($1, $2, $3, 'email', 'race@example.com', 'test')`, [randomUUID(), accountId, intruder]))
      .rejects.toMatchObject({ code: '23505', constraint: expect.stringContaining('identifiers') });
    await run.query(`DELETE FROM ${schema}.contacts WHERE id = $1`, [intruder]);

    // Leads: every verdict handled, and exactly one lead opened, for the new contact.
    const leadsSchema = run.schema('leads');
    const verdictIds = [...created, ...matched].map((e) => e.id);
    await eventually(async () => {
      const [row] = await run.query<{ n: number }>(
        `SELECT count(DISTINCT event_id)::int AS n FROM ${leadsSchema}.inbox_events WHERE event_id = ANY($1)`, [verdictIds]);
      return row!.n === CONVERSATIONS ? true : undefined;
    }, 30_000, 'leads to handle all 50 verdicts');
    const leadEvents = await collectEvents(run.js, run.naming(), LeadCreatedEvent, (e) => e.accountId === accountId, 1, 15_000);
    expect(leadEvents[0]!.data).toMatchObject({ contactId, reason: 'new_contact' });
    const leads = await run.query(`SELECT contact_id, reason, status FROM ${leadsSchema}.leads WHERE account_id = $1`, [accountId]);
    expect(leads).toEqual([{ contact_id: contactId, reason: 'new_contact', status: 'new' }]);
    const [published] = await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${leadsSchema}.outbox_events WHERE type = $1 AND payload->>'accountId' = $2`, [LeadCreatedEvent.type, accountId]);
    expect(published).toEqual({ n: 1 });
  });
});
