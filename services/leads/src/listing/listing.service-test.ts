import { LeadCreatedEvent, LeadStatusChangedEvent } from '@leadline/contracts';
import { awaitEvent, collectEvents, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../leads.service-definition';
import { addMember, contactCreated, leadsApi, member, NO_SIGNALS, openLead, type Json } from '../test-support/leads-fixtures';

const NAMES = ['Alice Archer', 'Bruno Baker', 'Carla Cruz', 'Dmitri Dale', 'Elena Eames', 'Farid Fox', 'Gina Gray', 'Hugo Hale'];

describe('the lead list: filters, sort, pages, counts, bulk actions, CSV export and leads from other systems', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();
  const leads: Json[] = [];
  let ann: { memberId: string };

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, leadsService));
    ann = await addMember(run, member(accountId, 'Ann'));
    for (const [i, name] of NAMES.entries()) {
      const created = contactCreated(accountId, name, {
        channel: i % 2 === 0 ? 'webchat' : 'sms', signals: { ...NO_SIGNALS, intent: (['none', 'low', 'medium', 'high'] as const)[i % 4]! },
        contact: { phones: [`+1555010${String(i).padStart(4, '0')}`] },
      });
      leads.push(await openLead(run, url, created));
    }
    const api = leadsApi(url, accountId);
    await api('PUT', `/v1/leads/${String(leads[0]!['id'])}/status`, { status: 'lost' });
    await api('PUT', `/v1/leads/${String(leads[1]!['id'])}/status`, { status: 'contacted' });
    await api('PUT', `/v1/leads/${String(leads[2]!['id'])}/assignee`, { agentId: ann.memberId });
    await api('PUT', `/v1/leads/${String(leads[3]!['id'])}/assignee`, { agentId: ann.memberId });
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const api = () => leadsApi(url, accountId);
  const names = (answer: { body: Json[] }) => answer.body.map((lead) => lead['displayName']);

  it('filters by status, active, agent, score range, creation time, channel and text', async () => {
    expect(names(await api()('GET', '/v1/leads?status=lost'))).toEqual(['Alice Archer']);
    expect(names(await api()('GET', '/v1/leads?status=lost,contacted&sort=createdAt&order=asc'))).toEqual(['Alice Archer', 'Bruno Baker']);
    expect(names(await api()('GET', '/v1/leads?status=lost&status=contacted&order=asc'))).toEqual(['Alice Archer', 'Bruno Baker']);
    expect(names(await api()('GET', '/v1/leads?active=false'))).toEqual(['Alice Archer']);
    expect(await api()('GET', '/v1/leads?active=true')).toMatchObject({ body: { length: 7 } });
    expect(names(await api()(`GET`, `/v1/leads?agentId=${ann.memberId}&order=asc`))).toEqual(['Carla Cruz', 'Dmitri Dale']);
    expect(await api()('GET', '/v1/leads?agentId=none')).toMatchObject({ body: { length: 6 } });
    // intent medium = 30, high = 40 (contact completeness 0)
    expect(names(await api()('GET', '/v1/leads?scoreMin=30&sort=score&order=desc'))).toEqual(['Hugo Hale', 'Dmitri Dale', 'Gina Gray', 'Carla Cruz']);
    expect(names(await api()('GET', '/v1/leads?scoreMin=15&scoreMax=15&order=asc'))).toEqual(['Bruno Baker', 'Farid Fox']);
    expect(names(await api()('GET', '/v1/leads?channel=sms&order=asc'))).toEqual(['Bruno Baker', 'Dmitri Dale', 'Farid Fox', 'Hugo Hale']);
    expect(names(await api()('GET', '/v1/leads?q=EAMES'))).toEqual(['Elena Eames']);
    expect(names(await api()('GET', '/v1/leads?q=gina.gray@email'))).toEqual(['Gina Gray']);
    expect(names(await api()('GET', '/v1/leads?q=5550100007'))).toEqual(['Hugo Hale']);
    expect(names(await api()('GET', `/v1/leads?q=${encodeURIComponent('+1 (555) 010-0007')}`))).toEqual(['Hugo Hale']);
    expect(names(await api()('GET', `/v1/leads?q=${encodeURIComponent('555-010-0006')}`))).toEqual(['Gina Gray']);
    expect(await api()('GET', '/v1/leads?q=%25')).toMatchObject({ body: [] });
    const middle = String(leads[4]!['createdAt']);
    expect(names(await api()('GET', `/v1/leads?createdFrom=${encodeURIComponent(middle)}&order=asc`))).toEqual(NAMES.slice(4));
    expect(names(await api()('GET', `/v1/leads?createdTo=${encodeURIComponent(middle)}&order=asc`))).toEqual(NAMES.slice(0, 4));
  });

  it('answers 400 naming each bad filter', async () => {
    const bad = await api()('GET', '/v1/leads?status=won&scoreMin=-1&channel=fax&agentId=bob&createdFrom=yesterday&limit=1000&sort=name');
    expect(bad.status).toBe(400);
    expect((bad.body['fields'] as Json[]).map((f) => f['field']).sort()).toEqual(['agentId', 'channel', 'createdFrom', 'limit', 'scoreMin', 'sort', 'status']);
    expect((await api()('GET', '/v1/leads?cursor=abc')).status).toBe(400);
  });

  it('pages with a cursor, every lead once, in every sort', async () => {
    for (const [sort, order] of [['createdAt', 'desc'], ['score', 'asc'], ['updatedAt', 'desc'], ['score', 'desc']] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const answer = await api()('GET', `/v1/leads?sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        seen.push(...(answer.body as Json[]).map((lead) => String(lead['id'])));
        cursor = answer.headers.get('x-next-cursor');
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(8);
      const all = await api()('GET', `/v1/leads?sort=${sort}&order=${order}`);
      expect(seen).toEqual((all.body as Json[]).map((lead) => lead['id']));
    }
    const first = await api()('GET', '/v1/leads?limit=3');
    const wrongSort = await api()('GET', `/v1/leads?sort=score&cursor=${first.headers.get('x-next-cursor')}`);
    expect(wrongSort.status).toBe(400);
  });

  it('counts leads per status for the filters', async () => {
    const counts = await api()('GET', '/v1/leads/counts');
    expect(counts.body).toEqual({
      total: 8, byStatus: { new: 6, contacted: 1, qualifying: 0, qualified: 0, follow_up: 0, converted: 0, lost: 1, archived: 0 },
    });
    expect((await api()('GET', '/v1/leads/counts?channel=sms')).body).toMatchObject({ total: 4, byStatus: { contacted: 1, new: 3 } });
  });

  it('exports the leads as CSV: all that match, or the current page', async () => {
    const all = await api()('GET', '/v1/leads/export.csv?order=asc');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toContain('text/csv');
    const rows = parse(all.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['name'])).toEqual(NAMES);
    expect(rows[0]).toMatchObject({ status: 'lost', active: 'false', email: 'alice.archer@email.com', phone: '+15550100000', channel: 'webchat' });
    expect(rows[2]).toMatchObject({ agent_id: ann.memberId, agent_name: 'Ann', score: '30', score_source: 'ai' });
    const page = await api()('GET', '/v1/leads/export.csv?scope=page&limit=2&channel=sms&order=asc');
    expect((parse(page.text, { columns: true }) as Record<string, string>[]).map((row) => row['name'])).toEqual(['Bruno Baker', 'Dmitri Dale']);
    expect((await api()('GET', '/v1/leads/export.csv?scope=everything')).status).toBe(400);
  });

  it('applies bulk actions to selected leads, skipping inactive and unknown ones with the reason', async () => {
    const ids = [leads[0]!['id'], leads[4]!['id'], leads[5]!['id'], randomUUID()] as string[];
    const answer = await api()('POST', '/v1/leads/bulk', { action: 'status', status: 'qualifying', leadIds: ids });
    expect(answer.status).toBe(200);
    expect(answer.body['results']).toEqual([
      { leadId: ids[0], outcome: 'skipped', code: 409, reason: `lead ${ids[0]} is Lost, a final status: it is inactive, so changing its status is not allowed` },
      { leadId: ids[1], outcome: 'changed' },
      { leadId: ids[2], outcome: 'changed' },
      { leadId: ids[3], outcome: 'skipped', code: 404, reason: `lead ${ids[3]} not found in this account` },
    ]);
    expect(answer.body['summary']).toEqual({ changed: 2, unchanged: 0, skipped: 2 });
    const event = await awaitEvent(run.js, run.naming(), LeadStatusChangedEvent, (e) => e.leadId === ids[1] && e.to === 'qualifying');
    expect(event.data.from).toBe('new');

    const assign = await api()('POST', '/v1/leads/bulk', { action: 'assign', agentId: ann.memberId, leadIds: [ids[1], ids[0]] });
    expect((assign.body['results'] as Json[]).map((r) => r['outcome'])).toEqual(['changed', 'skipped']);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'assign', agentId: randomUUID(), leadIds: [ids[1]] })).status).toBe(404);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'assign', leadIds: [ids[1]] })).status).toBe(400);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'status', leadIds: [ids[1]] })).status).toBe(400);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'archive' })).status).toBe(400);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'archive', leadIds: [ids[1]], filter: {} })).status).toBe(400);
    const limitWithIds = await api()('POST', '/v1/leads/bulk', { action: 'archive', leadIds: [ids[1]], limit: 1 });
    expect(limitWithIds.status).toBe(400);
    expect(limitWithIds.body['fields']).toEqual([{ field: 'limit', reason: expect.stringContaining('goes with filter') }]);
    expect((await api()('POST', '/v1/leads/bulk', { action: 'archive', filter: {}, limit: 0 })).status).toBe(400);
    // Nothing changed on the inactive lead.
    expect((await api()('GET', `/v1/leads/${ids[0]}`)).body).toMatchObject({ status: 'lost', agentId: null });
  });

  it('archives every lead that matches the filters; the inactive ones take no part', async () => {
    const answer = await api()('POST', '/v1/leads/bulk', { action: 'archive', filter: { channel: ['webchat'] } });
    const results = answer.body['results'] as Json[];
    expect(results).toHaveLength(4);
    expect(answer.body['summary']).toEqual({ changed: 3, unchanged: 0, skipped: 1 });
    expect(results.find((r) => r['leadId'] === leads[0]!['id'])).toMatchObject({ outcome: 'skipped', code: 409, reason: expect.stringContaining('is Lost') });
    expect(answer.body['nextCursor']).toBeNull();
    const counts = await api()('GET', '/v1/leads/counts?channel=webchat');
    expect(counts.body).toMatchObject({ total: 4, byStatus: { archived: 3, lost: 1 } });
    const again = await api()('POST', '/v1/leads/bulk', { action: 'status', status: 'new', filter: { channel: ['webchat'] } });
    expect(again.body['summary']).toEqual({ changed: 0, unchanged: 0, skipped: 4 });
  });

  it('goes through all that match the filters in steps: limit per call, nextCursor until none are left', async () => {
    const stepAccount = randomUUID();
    // 5 active and 2 lost leads straight into the table; bulk works on any lead of the account.
    await run.query(`INSERT INTO ${run.schema('leads')}.leads (id, account_id, contact_id, status, active, reason, display_name, contact,
        search_text, created_at, updated_at)
      SELECT gen_random_uuid(), $1, gen_random_uuid(), CASE WHEN g <= 5 THEN 'new' ELSE 'lost' END, g <= 5, 'import', 'Step ' || g,
        jsonb_build_object('contactId', gen_random_uuid(), 'role', 'lead', 'displayName', 'Step ' || g, 'emails', '[]'::jsonb, 'phones', '[]'::jsonb),
        'step ' || g, now(), now()
      FROM generate_series(1, 7) g`, [stepAccount]);
    const stepApi = leadsApi(url, stepAccount);
    const calls: Json[] = [];
    let cursor: string | undefined;
    do {
      const answer = await stepApi('POST', '/v1/leads/bulk', { action: 'status', status: 'qualified', filter: {}, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      calls.push(answer.body);
      cursor = (answer.body['nextCursor'] as string | null) ?? undefined;
    } while (cursor && calls.length < 10);
    expect(calls.map((call) => (call['results'] as Json[]).length)).toEqual([3, 3, 1]);
    const results = calls.flatMap((call) => call['results'] as Json[]);
    expect(new Set(results.map((r) => r['leadId'])).size).toBe(7);
    expect(results.filter((r) => r['outcome'] === 'changed')).toHaveLength(5);
    expect(results.filter((r) => r['outcome'] === 'skipped').map((r) => r['code'])).toEqual([409, 409]);
    expect((await stepApi('GET', '/v1/leads/counts')).body).toMatchObject({ total: 7, byStatus: { qualified: 5, lost: 2 } });

    // A limit that ends exactly on the last matching lead gives no cursor: no empty last call.
    const exact = await stepApi('POST', '/v1/leads/bulk', { action: 'archive', filter: { active: true }, limit: 5 });
    expect(exact.body).toMatchObject({ summary: { changed: 5, unchanged: 0, skipped: 0 }, nextCursor: null });
  });

  it('opens a lead for a contact another system names by email or phone, and 404s an unknown one', async () => {
    const known = contactCreated(accountId, 'Ivan Intake', { contact: { phones: ['+15557770000'] } });
    const opened = await openLead(run, url, known);
    await api()('PUT', `/v1/leads/${String(opened['id'])}/status`, { status: 'converted' });

    const byPhone = await api()('POST', '/v1/leads', { phone: '+1 (555) 777-0000', score: 70, agentId: ann.memberId, summary: 'From the CRM.' });
    expect(byPhone.status).toBe(201);
    expect(byPhone.body).toMatchObject({
      contactId: known.contactId, reason: 'api', status: 'new', score: 70, scoreSource: 'manual', agentId: ann.memberId, summary: 'From the CRM.',
    });
    const created = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.leadId === byPhone.body['id']);
    expect(created.data).toMatchObject({ reason: 'api', previousLeadIds: [opened['id']] });

    const twice = await api()('POST', '/v1/leads', { email: 'IVAN.INTAKE@email.com' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ leadId: byPhone.body['id'] });

    const unknown = await api()('POST', '/v1/leads', { email: 'nobody@email.com' });
    expect(unknown.status).toBe(404);
    expect(unknown.body['message']).toContain('no contact with email nobody@email.com in this account');
    expect((await api()('POST', '/v1/leads', {})).status).toBe(400);
    expect((await api()('POST', '/v1/leads', { email: 'not-an-email' })).status).toBe(400);
    expect((await api()('POST', '/v1/leads', { contactId: known.contactId, status: 'lost' })).status).toBe(400);
    expect((await leadsApi(url, randomUUID())('POST', '/v1/leads', { phone: '+15557770000' })).status).toBe(404);
    const all = await collectEvents(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === known.contactId, 2);
    expect(all.map((e) => e.data.reason)).toEqual(['new_contact', 'api']);
  });

  it('streams an export larger than one database fetch, every lead once and in order', async () => {
    const bigAccount = randomUUID();
    // 2,500 leads straight into the table: the export reads 1,000 rows per fetch, so this crosses batches.
    await run.query(`INSERT INTO ${run.schema('leads')}.leads (id, account_id, contact_id, status, active, reason, score, score_source,
        display_name, contact, search_text, created_at, updated_at)
      SELECT gen_random_uuid(), $1, gen_random_uuid(), 'new', true, 'import', g % 101, 'ai', 'Lead ' || g,
        jsonb_build_object('contactId', gen_random_uuid(), 'role', 'lead', 'displayName', 'Lead ' || g, 'emails', jsonb_build_array('lead' || g || '@x.com'), 'phones', '[]'::jsonb),
        'lead ' || g, timestamptz '2026-01-01' + (g || ' minutes')::interval, now()
      FROM generate_series(1, 2500) g`, [bigAccount]);
    const answer = await leadsApi(url, bigAccount)('GET', '/v1/leads/export.csv?order=asc');
    const rows = parse(answer.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2500);
    expect(rows.map((row) => row['name'])).toEqual(Array.from({ length: 2500 }, (_, i) => `Lead ${i + 1}`));
    expect(rows[2499]).toMatchObject({ email: 'lead2500@x.com', score: String(2500 % 101), created_at: '2026-01-02T17:40:00.000Z' });
  });
});
