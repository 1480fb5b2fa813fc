import {
  LeadAssignedEvent, LeadFollowUpCreatedEvent, LeadScoredEvent, LeadStatusChangedEvent, MemberRemovedEvent,
} from '@leadline/contracts';
import { awaitEvent, eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../leads.service-definition';
import { addMember, contactCreated, leadsApi, member, openLead, type Json } from '../test-support/leads-fixtures';

describe('working a lead: status, assignment, score', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();
  const otherAccountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, leadsService));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const api = (memberId?: string) => leadsApi(url, accountId, memberId ? { memberId } : {});
  const outboxPending = async () => run.query(`SELECT count(*)::int AS n FROM ${run.schema('leads')}.outbox_events WHERE sent_at IS NULL`);

  it('moves a lead through statuses, publishing status_changed; a final status makes it inactive and refuses more with 409', async () => {
    const ann = await addMember(run, member(accountId, 'Ann'));
    const lead = await openLead(run, url, contactCreated(accountId, 'Stan Status'));
    const id = String(lead['id']);
    const contacted = await api(ann.memberId)('PUT', `/v1/leads/${id}/status`, { status: 'contacted', note: 'called back' });
    expect(contacted.status).toBe(200);
    expect(contacted.body).toMatchObject({ status: 'contacted', active: true });
    const changed = await awaitEvent(run.js, run.naming(), LeadStatusChangedEvent, (e) => e.leadId === id);
    expect(changed.data).toMatchObject({ from: 'new', to: 'contacted', active: true, changedBy: ann.memberId });

    expect((await api()('PUT', `/v1/leads/${id}/status`, { status: 'follow_up' })).body).toMatchObject({ status: 'follow_up' });
    const converted = await api()('PUT', `/v1/leads/${id}/status`, { status: 'converted' });
    expect(converted.body).toMatchObject({ status: 'converted', active: false });

    const again = await api()('PUT', `/v1/leads/${id}/status`, { status: 'qualified' });
    expect(again.status).toBe(409);
    expect(again.body['reason']).toBe(`lead ${id} is Converted, a final status: it is inactive, so changing its status is not allowed`);
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: ann.memberId })).status).toBe(409);
    expect((await api()('PUT', `/v1/leads/${id}/score`, { score: 90 })).status).toBe(409);
    const followUp = await api()('POST', `/v1/leads/${id}/follow-ups`, { dueAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(followUp.status).toBe(409);
    expect(followUp.body['reason']).toContain('scheduling a follow-up');

    const readable = await api()('GET', `/v1/leads/${id}`);
    expect(readable.body).toMatchObject({ status: 'converted', conversationUrl: expect.stringContaining('http://app/conversations/') });
    const statuses = (readable.body['history'] as Json[]).filter((e) => e['kind'] === 'status_changed').map((e) => e['data']);
    expect(statuses).toEqual([
      { from: 'new', to: 'contacted', active: true, by: ann.memberId, note: 'called back' },
      { from: 'contacted', to: 'follow_up', active: true, by: null },
      { from: 'follow_up', to: 'converted', active: false, by: null },
    ]);
    await eventually(async () => ((await outboxPending())[0] as { n: number }).n === 0 || undefined);
  });

  it('answers 400 for an unknown status and 404 for a lead of another account', async () => {
    const lead = await openLead(run, url, contactCreated(accountId, 'Vera Valid'));
    const bad = await api()('PUT', `/v1/leads/${String(lead['id'])}/status`, { status: 'won' });
    expect(bad.status).toBe(400);
    expect(bad.body['fields']).toEqual([expect.objectContaining({ field: 'status' })]);
    const foreign = await leadsApi(url, otherAccountId)('PUT', `/v1/leads/${String(lead['id'])}/status`, { status: 'lost' });
    expect(foreign.status).toBe(404);
    expect((await leadsApi(url, otherAccountId)('GET', `/v1/leads/${String(lead['id'])}`)).status).toBe(404);
    expect((await api()('GET', `/v1/leads/not-a-uuid`)).status).toBe(400);
  });

  it('assigns, reassigns and unassigns to active members of the account only', async () => {
    const bob = await addMember(run, member(accountId, 'Bob'));
    const cid = await addMember(run, member(accountId, 'Cid'));
    const gone = await addMember(run, member(accountId, 'Gus', { active: false }));
    const stranger = await addMember(run, member(otherAccountId, 'Stranger'));
    const lead = await openLead(run, url, contactCreated(accountId, 'Ada Assign'));
    const id = String(lead['id']);

    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: bob.memberId })).body).toMatchObject({ agentId: bob.memberId });
    const first = await awaitEvent(run.js, run.naming(), LeadAssignedEvent, (e) => e.leadId === id);
    expect(first.data).toMatchObject({ agentId: bob.memberId, previousAgentId: null });
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: cid.memberId })).body).toMatchObject({ agentId: cid.memberId });
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: bob.memberId })).body).toMatchObject({ agentId: bob.memberId });

    const inactive = await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: gone.memberId });
    expect(inactive.status).toBe(400);
    expect(inactive.body['fields']).toEqual([{ field: 'agentId', reason: expect.stringContaining('inactive') }]);
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: stranger.memberId })).status).toBe(404);
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: randomUUID() })).status).toBe(404);
    expect((await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: 'bob' })).status).toBe(400);

    const unassigned = await api()('PUT', `/v1/leads/${id}/assignee`, { agentId: null });
    expect(unassigned.body).toMatchObject({ agentId: null });
    const timeline = await api()('GET', `/v1/leads/${id}/timeline`);
    expect((timeline.body as Json[]).filter((e) => e['kind'] === 'assigned').map((e) => (e['data'] as Json)['to']))
      .toEqual([bob.memberId, cid.memberId, bob.memberId, null]);
  });

  it('unassigns the leads of a member who leaves the account', async () => {
    const dan = await addMember(run, member(accountId, 'Dan'));
    const lead = await openLead(run, url, contactCreated(accountId, 'Leo Left'));
    await api()('PUT', `/v1/leads/${String(lead['id'])}/assignee`, { agentId: dan.memberId });
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId, memberId: dan.memberId });
    const unassigned = await awaitEvent(run.js, run.naming(), LeadAssignedEvent, (e) => e.leadId === lead['id'] && e.agentId === null);
    expect(unassigned.data.previousAgentId).toBe(dan.memberId);
    expect((await api()('PUT', `/v1/leads/${String(lead['id'])}/assignee`, { agentId: dan.memberId })).status).toBe(404);
  });

  it('unassigns the active leads of a member who is deactivated, and refuses them new ones', async () => {
    const ida = await addMember(run, member(accountId, 'Ida'));
    const open = await openLead(run, url, contactCreated(accountId, 'Olga Open'));
    const closed = await openLead(run, url, contactCreated(accountId, 'Carl Closed'));
    await api()('PUT', `/v1/leads/${String(open['id'])}/assignee`, { agentId: ida.memberId });
    await api()('PUT', `/v1/leads/${String(closed['id'])}/assignee`, { agentId: ida.memberId });
    await api()('PUT', `/v1/leads/${String(closed['id'])}/status`, { status: 'converted' });
    await addMember(run, { ...ida, active: false, version: 2 });
    const unassigned = await awaitEvent(run.js, run.naming(), LeadAssignedEvent, (e) => e.leadId === open['id'] && e.agentId === null);
    expect(unassigned.data).toMatchObject({ previousAgentId: ida.memberId, assignedBy: null });
    // A closed lead keeps the agent who worked it.
    expect((await api()('GET', `/v1/leads/${String(closed['id'])}`)).body).toMatchObject({ agentId: ida.memberId, status: 'converted' });
    const refused = await api()('PUT', `/v1/leads/${String(open['id'])}/assignee`, { agentId: ida.memberId });
    expect(refused.status).toBe(400);
    expect(refused.body['fields']).toEqual([{ field: 'agentId', reason: expect.stringContaining('is inactive') }]);
  });

  it('sets the score by hand (manual) and publishes scored; 400 outside 0..100', async () => {
    const lead = await openLead(run, url, contactCreated(accountId, 'Sam Score'));
    const id = String(lead['id']);
    expect((await api()('PUT', `/v1/leads/${id}/score`, { score: 101 })).status).toBe(400);
    expect((await api()('PUT', `/v1/leads/${id}/score`, { score: 88 })).body).toMatchObject({ score: 88, scoreSource: 'manual' });
    const scored = await awaitEvent(run.js, run.naming(), LeadScoredEvent, (e) => e.leadId === id);
    expect(scored.data).toMatchObject({ score: 88, source: 'manual', previousScore: 47 });
  });

  it('schedules follow-ups on active leads, lists due and overdue ones, and completes them', async () => {
    const eve = await addMember(run, member(accountId, 'Eve'));
    const lead = await openLead(run, url, contactCreated(accountId, 'Fay Follow'));
    const id = String(lead['id']);
    const soon = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const later = new Date(Date.now() + 72 * 3_600_000).toISOString();
    const due = await api(eve.memberId)('POST', `/v1/leads/${id}/follow-ups`, { dueAt: soon, note: 'send the quote' });
    expect(due.status).toBe(201);
    expect(due.body).toMatchObject({ leadId: id, note: 'send the quote', assigneeId: eve.memberId, completedAt: null });
    const overdue = await api()('POST', `/v1/leads/${id}/follow-ups`, { dueAt: past, assigneeId: eve.memberId });
    await api()('POST', `/v1/leads/${id}/follow-ups`, { dueAt: later, assigneeId: eve.memberId });
    const event = await awaitEvent(run.js, run.naming(), LeadFollowUpCreatedEvent, (e) => e.followUpId === due.body['id']);
    expect(event.data).toMatchObject({ leadId: id, note: 'send the quote', assigneeId: eve.memberId, dueAt: soon });

    expect((await api()('POST', `/v1/leads/${id}/follow-ups`, { dueAt: 'tomorrow' })).status).toBe(400);
    expect((await api()('POST', `/v1/leads/${id}/follow-ups`, { dueAt: soon, assigneeId: randomUUID() })).status).toBe(404);

    const dueList = await api()('GET', `/v1/follow-ups?when=due&assigneeId=${eve.memberId}`);
    expect((dueList.body as Json[]).map((f) => f['id'])).toEqual([due.body['id']]);
    expect((dueList.body as Json[])[0]).toMatchObject({ displayName: 'Fay Follow' });
    const overdueList = await api()('GET', `/v1/follow-ups?when=overdue&assigneeId=${eve.memberId}`);
    expect((overdueList.body as Json[]).map((f) => f['id'])).toEqual([overdue.body['id']]);
    const week = await api()('GET', `/v1/follow-ups?when=due&withinHours=100&assigneeId=${eve.memberId}`);
    expect(week.body).toHaveLength(2);
    expect((await api()('GET', '/v1/follow-ups?when=someday')).status).toBe(400);

    const done = await api()('POST', `/v1/follow-ups/${String(overdue.body['id'])}/complete`);
    expect(done.body['completedAt']).not.toBeNull();
    expect((await api()('GET', `/v1/follow-ups?when=overdue&assigneeId=${eve.memberId}`)).body).toEqual([]);

    const timeline = (await api()('GET', `/v1/leads/${id}/timeline`)).body as Json[];
    expect(timeline.filter((e) => e['kind'] === 'follow_up').map((e) => e['data'])).toEqual([
      { followUpId: due.body['id'], dueAt: soon, note: 'send the quote', assigneeId: eve.memberId, by: eve.memberId },
      { followUpId: overdue.body['id'], dueAt: past, note: null, assigneeId: eve.memberId, by: null },
      expect.objectContaining({ dueAt: later }),
    ]);
    expect(timeline.filter((e) => e['kind'] === 'follow_up_completed').map((e) => (e['data'] as Json)['followUpId'])).toEqual([overdue.body['id']]);

    // A lead that closes takes its open follow-ups off the lists.
    await api()('PUT', `/v1/leads/${id}/status`, { status: 'lost' });
    expect((await api()('GET', `/v1/follow-ups?when=due&withinHours=100&assigneeId=${eve.memberId}`)).body).toEqual([]);
    expect((await api()('GET', `/v1/leads/${id}/follow-ups`)).body).toHaveLength(3);
  });
});
