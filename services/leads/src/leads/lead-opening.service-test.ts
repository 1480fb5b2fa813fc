import {
  ContactCreatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, LeadCreatedEvent, LeadScoredEvent,
  type ContactCreated, type ContactMatched, type ConversationContactCreated,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../leads.service-definition';
import { contactCreated, leadsApi, NO_SIGNALS, openLead, QUOTE_SIGNALS, type Json } from '../test-support/leads-fixtures';

function matchedFrom(created: ConversationContactCreated, signals = NO_SIGNALS): ContactMatched {
  const conversationId = randomUUID();
  return {
    ...created, conversationId, conversationUrl: `http://app/conversations/${conversationId}`, channel: 'sms', signals,
    summary: 'Came back by text.', matchedBy: 'email', evidence: [{ kind: 'email', value: created.contact.emails[0]!, verified: false }],
    originalConversationId: created.conversationId, duplicateConversation: true, suggestedContactIds: [], matchedAt: new Date().toISOString(),
  };
}

describe('leads open from identity events', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, leadsService));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const schema = () => run.schema('leads');
  const api = () => leadsApi(url, accountId);

  it('opens exactly one lead when the same contact.created event arrives twice (same CloudEvents id)', async () => {
    const created = contactCreated(accountId, 'Dora Twice');
    const id = randomUUID();
    await publishEvent(run.js, run.naming(), ContactCreatedEvent, created, { id });
    await eventually(async () => (await run.query(`SELECT 1 FROM ${schema()}.leads WHERE contact_id = $1`, [created.contactId])).length > 0 || undefined);
    // Again within JetStream's de-duplication window (same Nats-Msg-Id), then as a replay JetStream cannot
    // recognise (another Nats-Msg-Id, the same ce-id): the service's inbox must recognise it.
    await publishEvent(run.js, run.naming(), ContactCreatedEvent, created, { id });
    const replay = natsHeaders();
    for (const [key, value] of Object.entries({
      'ce-specversion': '1.0', 'ce-id': id, 'ce-type': ContactCreatedEvent.type, 'ce-source': 'identity', 'ce-time': new Date().toISOString(),
    })) replay.set(key, value);
    await run.js.publish(run.naming().subject(ContactCreatedEvent.subject), JSON.stringify(created), { headers: replay, msgID: randomUUID() });
    // A later event on the same consumer is handled only after the replay was: then the count is final.
    await openLead(run, url, contactCreated(accountId, 'Dora After'));
    const rows = await run.query(`SELECT count(*)::int AS n FROM ${schema()}.leads WHERE contact_id = $1`, [created.contactId]);
    expect(rows).toEqual([{ n: 1 }]);
    const history = await run.query(`SELECT count(*)::int AS n FROM ${schema()}.lead_history WHERE contact_id = $1`, [created.contactId]);
    expect(history).toEqual([{ n: 1 }]);
    const events = await collectEvents(run.js, run.naming(), LeadCreatedEvent, (e) => e.accountId === accountId, 2);
    expect(events.filter((e) => e.data.contactId === created.contactId)).toHaveLength(1);
  });

  it('opens a New lead for a new contact and publishes lead.created with the contact, summary, link and reason', async () => {
    const created = contactCreated(accountId, 'John Smith', { signals: QUOTE_SIGNALS });
    const lead = await openLead(run, url, created);
    expect(lead).toMatchObject({ status: 'new', active: true, reason: 'new_contact', score: 47, scoreSource: 'ai', displayName: 'John Smith' });
    const event = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === created.contactId);
    expect(event.data).toMatchObject({
      leadId: lead['id'], status: 'new', reason: 'new_contact', summary: created.summary, conversationUrl: created.conversationUrl,
      contact: { displayName: 'John Smith' }, previousLeadIds: [],
    });
  });

  it('opens an imported contact\'s lead with reason import', async () => {
    const { conversationId: _c, conversationUrl: _u, channel: _ch, summary: _s, signals: _sig, ...imported } = contactCreated(accountId, 'Ivy Import');
    const created: ContactCreated = { ...imported, origin: 'import' };
    const lead = await openLead(run, url, created);
    expect(lead).toMatchObject({ reason: 'import', status: 'new', active: true, score: null, conversationUrl: null });
    const event = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === created.contactId);
    expect(event.data).toMatchObject({
      leadId: lead['id'], status: 'new', reason: 'import', contact: { displayName: 'Ivy Import', emails: ['ivy.import@email.com'] },
      summary: null, conversationUrl: null, previousLeadIds: [],
    });
    // Another system creating the contact through identity's API: reason api.
    const { conversationId: _c2, conversationUrl: _u2, channel: _ch2, summary: _s2, signals: _sig2, ...other } = contactCreated(accountId, 'Axel Api');
    expect(await openLead(run, url, { ...other, origin: 'api' })).toMatchObject({ reason: 'api' });
  });

  it('adds a returning contact\'s conversation to its active lead and lets new signals raise the AI score', async () => {
    const created = contactCreated(accountId, 'Rita Return', { signals: { ...NO_SIGNALS, intent: 'low' } });
    const lead = await openLead(run, url, created);
    expect(lead['score']).toBe(15);
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matchedFrom(created, { ...QUOTE_SIGNALS, budgetMentioned: true }));
    const scored = await awaitEvent(run.js, run.naming(), LeadScoredEvent, (e) => e.leadId === lead['id']);
    expect(scored.data).toMatchObject({ score: 62, previousScore: 15, source: 'ai' });
    const detail = await api()('GET', `/v1/leads/${String(lead['id'])}`);
    const kinds = (detail.body['history'] as Json[]).map((entry) => entry['kind']);
    expect(kinds).toEqual(['created', 'conversation', 'scored']);
    expect((detail.body['history'] as Json[])[1]!['data']).toMatchObject({ channel: 'sms', summary: 'Came back by text.' });
    const leads = await run.query(`SELECT count(*)::int AS n FROM ${schema()}.leads WHERE contact_id = $1`, [created.contactId]);
    expect(leads).toEqual([{ n: 1 }]);
  });

  it('never lets the AI overwrite a score set by hand', async () => {
    const created = contactCreated(accountId, 'Manny Manual', { signals: NO_SIGNALS });
    const lead = await openLead(run, url, created);
    expect((await api()('PUT', `/v1/leads/${String(lead['id'])}/score`, { score: 5 })).body).toMatchObject({ score: 5, scoreSource: 'manual' });
    await publishEvent(run.js, run.naming(), ContactSummaryCreatedEvent, {
      ...created, conversationId: created.conversationId, signals: { ...QUOTE_SIGNALS, urgency: 'high' }, cycle: 2, summaryId: randomUUID(),
      summary: 'Wants it done this week.', createdAt: new Date().toISOString(),
    });
    const timeline = await eventually(async () => {
      const answer = await api()('GET', `/v1/leads/${String(lead['id'])}/timeline`);
      return (answer.body as Json[]).some((entry) => entry['kind'] === 'conversation') ? answer.body as Json[] : undefined;
    });
    expect(timeline.find((entry) => entry['kind'] === 'conversation')!['data']).toMatchObject({ summary: 'Wants it done this week.', cycle: 2 });
    const after = await api()('GET', `/v1/leads/${String(lead['id'])}`);
    expect(after.body).toMatchObject({ score: 5, scoreSource: 'manual' });
  });

  it('opens a new lead for a returning contact whose leads are all final, its history naming the past ones', async () => {
    const created = contactCreated(accountId, 'Paula Past');
    const first = await openLead(run, url, created);
    expect((await api()('PUT', `/v1/leads/${String(first['id'])}/status`, { status: 'lost' })).status).toBe(200);
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matchedFrom(created, QUOTE_SIGNALS));
    const event = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === created.contactId && e.reason === 'returning_contact');
    expect(event.data.previousLeadIds).toEqual([first['id']]);
    const detail = await api()('GET', `/v1/leads/${event.data.leadId}`);
    expect(detail.body).toMatchObject({ status: 'new', active: true, channel: 'sms' });
    expect((detail.body['history'] as Json[]).map((e) => [e['kind'], e['data']])).toContainEqual(['past_leads', { leadIds: [first['id']] }]);
    const old = await api()('GET', `/v1/leads/${String(first['id'])}`);
    expect(old.body).toMatchObject({ status: 'lost', active: false, conversationUrl: created.conversationUrl });
  });
});

/**
 * contact.created and contact.matched reach leads on separate consumers, in either order: a returning visitor's
 * match handled before the contact's own creation must not take the contact's first lead (and its New Lead).
 */
describe('a match that arrives before the contact it matched', () => {
  let run: TestRun;
  const apps: NestFastifyApplication[] = [];
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await run?.cleanup();
  });

  const leadsOf = (contactId: string) => run.query<{ reason: string; conversation_id: string | null }>(
    `SELECT reason, conversation_id FROM ${run.schema('leads')}.leads WHERE contact_id = $1`, [contactId]);

  it('waits for contact.created: the first lead is the New Lead of the contact\'s own conversation', async () => {
    const { app } = await startService(run, leadsService, { CONSUMER_RETRY_BASE_MS: '200' });
    apps.push(app);
    const created = contactCreated(accountId, 'Early Match') as ConversationContactCreated;
    const matched = matchedFrom(created);
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matched);
    await new Promise((resolve) => setTimeout(resolve, 700)); // the match is handled, and told to wait, at least twice
    expect(await leadsOf(created.contactId)).toEqual([]);
    await publishEvent(run.js, run.naming(), ContactCreatedEvent, created);
    const history = await eventually(async () => {
      const rows = await run.query<{ kind: string; data: { conversationId?: string } }>(
        `SELECT kind, data FROM ${run.schema('leads')}.lead_history WHERE contact_id = $1 ORDER BY created_at, id`, [created.contactId]);
      return rows.some((row) => row.kind === 'conversation') ? rows : undefined;
    }, 15_000, 'the matched conversation in the lead\'s timeline');
    expect(await leadsOf(created.contactId)).toEqual([{ reason: 'new_contact', conversation_id: created.conversationId }]);
    expect(history.find((row) => row.kind === 'conversation')!.data.conversationId).toBe(matched.conversationId);
    const event = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === created.contactId);
    expect(event.data.reason).toBe('new_contact');
    await app.close();
    apps.splice(0);
  });

  it('opens the lead itself on the last attempt when contact.created never comes', async () => {
    const { app } = await startService(run, leadsService, { CONSUMER_RETRY_BASE_MS: '50', CONSUMER_MAX_DELIVER: '3' });
    apps.push(app);
    const created = contactCreated(accountId, 'Never Created') as ConversationContactCreated;
    const matched = matchedFrom(created);
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matched);
    const rows = await eventually(async () => {
      const found = await leadsOf(created.contactId);
      return found.length > 0 ? found : undefined;
    }, 15_000, 'the lead opened from the match');
    expect(rows).toEqual([{ reason: 'returning_contact', conversation_id: matched.conversationId }]);
  });
});
