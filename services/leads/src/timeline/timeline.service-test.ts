import { BroadcastDeliveryUpdatedEvent, ContactMatchedEvent } from '@leadline/contracts';
import { eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../leads.service-definition';
import { addMember, contactCreated, leadsApi, member, openLead, QUOTE_SIGNALS, type Json } from '../test-support/leads-fixtures';

describe('timelines: notes, conversations, past leads and broadcast deliveries', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    // Short retry delays, so an event that cannot be handled reaches the DLQ within the test.
    ({ app, url } = await startService(run, leadsService, { CONSUMER_RETRY_BASE_MS: '50' }));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const api = (memberId?: string) => leadsApi(url, accountId, memberId ? { memberId } : {});

  /** The dead letters of one consumer, with their headers. */
  async function deadLetters(consumer: string): Promise<{ headers: Record<string, string>; body: Json }[] | undefined> {
    const stream = run.naming().stream('DLQ');
    const info = await run.jsm.streams.info(stream).catch(() => undefined);
    if (!info || info.state.messages === 0) return undefined;
    const reader = await run.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const found: { headers: Record<string, string>; body: Json }[] = [];
    for await (const msg of await reader.fetch({ max_messages: info.state.messages, expires: 2000 })) {
      if (msg.subject === run.naming().deadLetterSubject(consumer)) {
        found.push({ headers: Object.fromEntries([...msg.headers!].map(([key, values]) => [key.toLowerCase(), values[0]!])), body: msg.json<Json>() });
      }
      if (msg.info.pending === 0) break;
    }
    return found.length > 0 ? found : undefined;
  }

  it('keeps members\' notes in the lead\'s timeline, closed leads included; only members write them', async () => {
    const nia = await addMember(run, member(accountId, 'Nia'));
    const lead = await openLead(run, url, contactCreated(accountId, 'Nora Note'));
    const id = String(lead['id']);
    await api()('PUT', `/v1/leads/${id}/status`, { status: 'lost' });
    const note = await api(nia.memberId)('POST', `/v1/leads/${id}/notes`, { text: 'Went with a competitor on price.' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', leadId: id, data: { text: 'Went with a competitor on price.', by: nia.memberId, authorName: 'Nia' } });
    expect((await leadsApi(url, accountId, { system: true })('POST', `/v1/leads/${id}/notes`, { text: 'x' })).status).toBe(403);
    expect((await api(nia.memberId)('POST', `/v1/leads/${id}/notes`, { text: '' })).status).toBe(400);
    const timeline = await api()('GET', `/v1/leads/${id}/timeline`);
    expect((timeline.body as Json[]).map((e) => e['kind'])).toEqual(['created', 'status_changed', 'note']);
  });

  it('shows one timeline per contact across its past and current leads, with broadcasts from events and the API', async () => {
    const created = contactCreated(accountId, 'Bea Broadcast', { contact: { phones: ['+15550100100'] } });
    const first = await openLead(run, url, created);
    await api()('PUT', `/v1/leads/${String(first['id'])}/status`, { status: 'archived' });
    const conversationId = randomUUID();
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, {
      ...created, conversationId, conversationUrl: `http://app/conversations/${conversationId}`, signals: QUOTE_SIGNALS, summary: 'Back again.',
      matchedBy: 'phone', evidence: [], originalConversationId: created.conversationId, duplicateConversation: true, suggestedContactIds: [],
      matchedAt: new Date().toISOString(),
    });
    const second = await eventually(async () => {
      const rows = await run.query<{ id: string }>(`SELECT id FROM ${run.schema('leads')}.leads WHERE contact_id = $1 AND active`, [created.contactId]);
      return rows[0]?.id;
    });

    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    await publishEvent(run.js, run.naming(), BroadcastDeliveryUpdatedEvent, {
      accountId, broadcastId: 'spring-1', status: 'sent', contactId: created.contactId, campaign: 'Spring sale', template: 'spring_v2', occurredAt: at(1),
    });
    const byEmail = await api()('POST', '/v1/broadcast-deliveries', {
      broadcastId: 'spring-1', status: 'delivered', email: 'BEA.BROADCAST@email.com', campaign: 'Spring sale', template: 'spring_v2', occurredAt: at(2),
    });
    expect(byEmail.status).toBe(202);
    expect(byEmail.body).toMatchObject({ contactId: created.contactId, leadId: second, recorded: true });
    const byPhone = await api()('POST', '/v1/broadcast-deliveries', {
      broadcastId: 'spring-1', status: 'read', phone: '+1 555 010 0100', occurredAt: at(3),
    });
    expect(byPhone.body).toMatchObject({ contactId: created.contactId, recorded: true });
    const failed = { broadcastId: 'spring-1', status: 'failed', contactId: created.contactId, error: 'handset off', occurredAt: at(4) };
    expect((await api()('POST', '/v1/broadcast-deliveries', failed)).body).toMatchObject({ recorded: true });
    expect((await api()('POST', '/v1/broadcast-deliveries', failed)).body).toMatchObject({ recorded: false });
    expect((await api()('POST', '/v1/broadcast-deliveries', { ...failed, status: 'bounced' })).status).toBe(400);

    const contactTimeline = await eventually(async () => {
      const answer = await api()('GET', `/v1/contacts/${created.contactId}/timeline`);
      const entries = answer.body as Json[];
      return entries.filter((e) => e['kind'] === 'broadcast').length === 4 ? entries : undefined;
    });
    expect(contactTimeline.map((e) => [e['kind'], e['leadId']])).toEqual([
      ['created', first['id']], ['status_changed', first['id']], ['created', second], ['past_leads', second],
      ['broadcast', second], ['broadcast', second], ['broadcast', second], ['broadcast', second],
    ]);
    expect(contactTimeline.filter((e) => e['kind'] === 'broadcast').map((e) => e['data'])).toEqual([
      { broadcastId: 'spring-1', status: 'sent', campaign: 'Spring sale', template: 'spring_v2', error: null },
      { broadcastId: 'spring-1', status: 'delivered', campaign: 'Spring sale', template: 'spring_v2', error: null },
      { broadcastId: 'spring-1', status: 'read', campaign: null, template: null, error: null },
      { broadcastId: 'spring-1', status: 'failed', campaign: null, template: null, error: 'handset off' },
    ]);
    const leadTimeline = await api()('GET', `/v1/leads/${second}/timeline`);
    expect((leadTimeline.body as Json[]).map((e) => e['kind'])).toEqual(['created', 'past_leads', 'broadcast', 'broadcast', 'broadcast', 'broadcast']);
    expect((await leadsApi(url, randomUUID())('GET', `/v1/contacts/${created.contactId}/timeline`)).status).toBe(404);
  });

  it('refuses a delivery that names no recipient: 400 through the API, dead-lettered with the cause as an event', async () => {
    const nobody = { broadcastId: 'anon-1', status: 'sent', campaign: 'Spring sale', occurredAt: new Date().toISOString() };
    const answer = await api()('POST', '/v1/broadcast-deliveries', nobody);
    expect(answer.status).toBe(400);
    expect(answer.body['fields']).toEqual([{ field: 'contactId', reason: expect.stringContaining('name the recipient by contactId, email or phone') }]);
    expect((await api()('POST', '/v1/broadcast-deliveries', { ...nobody, phone: 'call me' })).status).toBe(400);

    await publishEvent(run.js, run.naming(), BroadcastDeliveryUpdatedEvent, { accountId, ...nobody, status: 'sent' });
    const [dead] = await eventually(() => deadLetters('leads-record-broadcast-delivery'), 20_000, 'the dead letter');
    expect(dead!.body).toMatchObject({ broadcastId: 'anon-1' });
    expect(dead!.headers['leadline-dlq-error']).toBe('broadcast delivery anon-1 names no recipient: give contactId, email or phone');
    expect(await run.query(`SELECT count(*)::int AS n FROM ${run.schema('leads')}.broadcast_deliveries WHERE broadcast_id = 'anon-1'`)).toEqual([{ n: 0 }]);
  });

  it('keeps a delivery to someone not known yet and joins it to the contact once identity creates them', async () => {
    const early = await api()('POST', '/v1/broadcast-deliveries', {
      broadcastId: 'early-1', status: 'sent', email: 'early.bird@email.com', occurredAt: new Date().toISOString(),
    });
    expect(early.body).toMatchObject({ contactId: null, leadId: null, recorded: true });
    const created = contactCreated(accountId, 'Early Bird');
    await openLead(run, url, created);
    const timeline = await api()('GET', `/v1/contacts/${created.contactId}/timeline`);
    expect((timeline.body as Json[]).filter((e) => e['kind'] === 'broadcast').map((e) => (e['data'] as Json)['broadcastId'])).toEqual(['early-1']);
  });
});
