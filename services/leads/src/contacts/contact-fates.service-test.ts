import {
  BroadcastDeliveryUpdatedEvent, ContactCreatedEvent, ContactErasedEvent, ContactsMergedEvent, ContactsUnmergedEvent, ContactUpdatedEvent, LeadDeletedEvent, LeadStatusChangedEvent,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../leads.service-definition';
import { contactCreated, leadsApi, openLead, snapshot, type Json } from '../test-support/leads-fixtures';

describe('merges and erasures from identity', () => {
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

  const api = () => leadsApi(url, accountId);
  const table = (name: string) => `${run.schema('leads')}.${name}`;

  it('re-points the merged contact\'s leads to the survivor; with two active leads one is archived, saying why', async () => {
    const survivor = contactCreated(accountId, 'Sue Survivor');
    const merged = contactCreated(accountId, 'Sue Duplicate');
    const kept = await openLead(run, url, survivor);
    const moved = await openLead(run, url, merged);
    const past = String(moved['id']);
    await api()('PUT', `/v1/leads/${past}/status`, { status: 'lost' });
    // The duplicate came back and got a second (active) lead.
    const secondOfMerged = await api()('POST', '/v1/leads', { contactId: merged.contactId });
    expect(secondOfMerged.status).toBe(201);
    const archivedId = String(secondOfMerged.body['id']);
    await api()('POST', `/v1/leads/${archivedId}/follow-ups`, { dueAt: new Date(Date.now() + 3_600_000).toISOString() });

    const survivorSnapshot = snapshot(survivor.contactId, 'Sue Survivor', { emails: ['sue.survivor@email.com', 'sue.duplicate@email.com'] });
    await publishEvent(run.js, run.naming(), ContactsMergedEvent, {
      accountId, mergeId: randomUUID(), survivorContactId: survivor.contactId, mergedContactId: merged.contactId, survivor: survivorSnapshot,
      mergedAt: new Date().toISOString(),
    });
    const closed = await awaitEvent(run.js, run.naming(), LeadStatusChangedEvent, (e) => e.leadId === archivedId);
    expect(closed.data).toMatchObject({ to: 'archived', active: false, contactId: survivor.contactId });

    const leads = await eventually(async () => {
      const rows = await run.query<{ id: string; contact_id: string; active: boolean; status: string; closed_reason: string | null; display_name: string }>(
        `SELECT id, contact_id, active, status, closed_reason, display_name FROM ${table('leads')} WHERE id = ANY($1) ORDER BY created_at`,
        [[kept['id'], past, archivedId]]);
      return rows.every((row) => row.contact_id === survivor.contactId) ? rows : undefined;
    });
    expect(leads.map((l) => [l.status, l.active, l.display_name])).toEqual([
      ['new', true, 'Sue Survivor'], ['lost', false, 'Sue Survivor'], ['archived', false, 'Sue Survivor'],
    ]);
    expect(leads[2]!.closed_reason).toBe(`contact merged into ${survivor.contactId}; lead ${String(kept['id'])} stays the contact's active lead`);
    const timeline = await api()('GET', `/v1/contacts/${survivor.contactId}/timeline`);
    const leadIds = new Set((timeline.body as Json[]).map((e) => e['leadId']));
    expect(leadIds).toEqual(new Set([kept['id'], past, archivedId]));
    expect((timeline.body as Json[]).filter((e) => e['kind'] === 'contact_merged')).toHaveLength(2);
    expect((await api()('GET', `/v1/contacts/${merged.contactId}/timeline`)).status).toBe(404);
    expect((await api()('POST', '/v1/leads', { email: 'sue.duplicate@email.com' })).body).toMatchObject({ leadId: kept['id'] });

    // A late event about the merged contact counts for the survivor: no lead comes back for the merged one.
    await publishEvent(run.js, run.naming(), ContactUpdatedEvent, {
      accountId, contactId: merged.contactId, contact: snapshot(merged.contactId, 'Sue Zombie'), changedFields: ['firstName'], updatedAt: new Date().toISOString(),
    });
    // contact.updated of the survivor refreshes all of its leads; events on one consumer are handled in order.
    await publishEvent(run.js, run.naming(), ContactUpdatedEvent, {
      accountId, contactId: survivor.contactId, contact: snapshot(survivor.contactId, 'Sue Smith'), changedFields: ['lastName'],
      updatedAt: new Date(Date.now() + 1000).toISOString(),
    });
    await eventually(async () => {
      const rows = await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table('leads')} WHERE display_name = 'Sue Smith'`);
      return rows[0]!.n === 3 || undefined;
    });
    expect(await run.query(`SELECT count(*)::int AS n FROM ${table('leads')} WHERE display_name = 'Sue Zombie'`)).toEqual([{ n: 0 }]);
  });

  it('moves a merged contact\'s only active lead to a survivor without one, keeping it active', async () => {
    const survivor = contactCreated(accountId, 'Tom Target');
    const merged = contactCreated(accountId, 'Tom Source');
    const first = await openLead(run, url, survivor);
    await api()('PUT', `/v1/leads/${String(first['id'])}/status`, { status: 'converted' });
    const moving = await openLead(run, url, merged);
    await publishEvent(run.js, run.naming(), ContactsMergedEvent, {
      accountId, mergeId: randomUUID(), survivorContactId: survivor.contactId, mergedContactId: merged.contactId,
      survivor: snapshot(survivor.contactId, 'Tom Target'), mergedAt: new Date().toISOString(),
    });
    const lead = await eventually(async () => {
      const answer = await api()('GET', `/v1/leads/${String(moving['id'])}`);
      return answer.body['contactId'] === survivor.contactId ? answer.body : undefined;
    });
    expect(lead).toMatchObject({ status: 'new', active: true, displayName: 'Tom Target' });
  });

  it('gives an unmerged contact its leads back and reopens the lead the merge archived', async () => {
    const survivor = contactCreated(accountId, 'Una Survivor');
    const merged = contactCreated(accountId, 'Una Restored');
    const kept = await openLead(run, url, survivor);
    const moved = await openLead(run, url, merged);
    const movedId = String(moved['id']);
    await api()('PUT', `/v1/leads/${movedId}/status`, { status: 'qualified' });
    const mergeId = randomUUID();
    await publishEvent(run.js, run.naming(), ContactsMergedEvent, {
      accountId, mergeId, survivorContactId: survivor.contactId, mergedContactId: merged.contactId,
      survivor: snapshot(survivor.contactId, 'Una Survivor'), mergedAt: new Date().toISOString(),
    });
    await awaitEvent(run.js, run.naming(), LeadStatusChangedEvent, (e) => e.leadId === movedId && e.to === 'archived');

    await publishEvent(run.js, run.naming(), ContactsUnmergedEvent, {
      accountId, mergeId, survivorContactId: survivor.contactId, restoredContactId: merged.contactId,
      survivor: snapshot(survivor.contactId, 'Una Survivor'), restored: snapshot(merged.contactId, 'Una Restored'),
      conversationIds: [merged.conversationId], unmergedAt: new Date().toISOString(),
    });
    const reopened = await awaitEvent(run.js, run.naming(), LeadStatusChangedEvent, (e) => e.leadId === movedId && e.active && e.from === 'archived');
    expect(reopened.data).toMatchObject({ from: 'archived', to: 'qualified', contactId: merged.contactId });
    expect((await api()('GET', `/v1/leads/${movedId}`)).body).toMatchObject({
      contactId: merged.contactId, displayName: 'Una Restored', status: 'qualified', active: true, closedReason: null,
    });
    expect((await api()('GET', `/v1/leads/${String(kept['id'])}`)).body).toMatchObject({ contactId: survivor.contactId, active: true });
    const timeline = await api()('GET', `/v1/contacts/${merged.contactId}/timeline`);
    expect((timeline.body as Json[]).map((e) => e['kind'])).toEqual(
      ['created', 'status_changed', 'status_changed', 'contact_merged', 'contact_unmerged', 'status_changed']);
    expect((await api()('POST', '/v1/leads', { email: 'una.restored@email.com' })).body).toMatchObject({ leadId: movedId });
  });

  it('erases a contact\'s leads, timelines, follow-ups and deliveries, publishing lead.deleted for each', async () => {
    const created = contactCreated(accountId, 'Erin Erased', { contact: { phones: ['+15559990000'] } });
    const first = await openLead(run, url, created);
    await api()('PUT', `/v1/leads/${String(first['id'])}/status`, { status: 'lost' });
    // An integration opens the contact's next lead, naming them by email.
    const second = await api()('POST', '/v1/leads', { email: 'Erin.Erased@email.com' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ contactId: created.contactId, reason: 'api', status: 'new', active: true });
    await api()('POST', `/v1/leads/${String(second.body['id'])}/notes`, { text: 'Lives at 1 Main St' });
    await api()('POST', `/v1/leads/${String(second.body['id'])}/follow-ups`, { dueAt: new Date(Date.now() + 3_600_000).toISOString() });
    await api()('POST', '/v1/broadcast-deliveries', { broadcastId: 'b1', status: 'sent', phone: '+15559990000', occurredAt: new Date().toISOString() });
    await api()('POST', '/v1/broadcast-deliveries', { broadcastId: 'b2', status: 'sent', email: 'erin.erased@email.com', occurredAt: new Date().toISOString() });

    await publishEvent(run.js, run.naming(), ContactErasedEvent, { accountId, contactId: created.contactId, erasedAt: new Date().toISOString() });
    const deleted = await collectEvents(run.js, run.naming(), LeadDeletedEvent, (e) => e.contactId === created.contactId, 2);
    expect(deleted.map((e) => e.data.leadId).sort()).toEqual([first['id'], second.body['id']].sort());
    expect(deleted.every((e) => e.data.reason === 'erased')).toBe(true);

    for (const name of ['leads', 'lead_history', 'follow_ups', 'broadcast_deliveries', 'contact_directory']) {
      expect(await run.query(`SELECT count(*)::int AS n FROM ${table(name)} WHERE contact_id = $1`, [created.contactId])).toEqual([{ n: 0 }]);
    }
    expect(await run.query(`SELECT count(*)::int AS n FROM ${table('broadcast_deliveries')} WHERE recipient = ANY($1)`,
      [['+15559990000', 'erin.erased@email.com']])).toEqual([{ n: 0 }]);
    expect((await api()('GET', `/v1/leads/${String(first['id'])}`)).status).toBe(404);
    expect((await api()('POST', '/v1/leads', { email: 'erin.erased@email.com' })).status).toBe(404);

    // An event about the erased contact that arrives late brings nothing back.
    await publishEvent(run.js, run.naming(), BroadcastDeliveryUpdatedEvent, {
      accountId, broadcastId: 'b3', status: 'read', contactId: created.contactId, occurredAt: new Date().toISOString(),
    });
    await publishEvent(run.js, run.naming(), ContactCreatedEvent, created);
    const after = contactCreated(accountId, 'After Erasure');
    await openLead(run, url, after);
    // Events on one consumer are handled in order: once this later delivery is in, b3 was handled too.
    await publishEvent(run.js, run.naming(), BroadcastDeliveryUpdatedEvent, {
      accountId, broadcastId: 'b5', status: 'sent', contactId: after.contactId, occurredAt: new Date().toISOString(),
    });
    await eventually(async () => (await run.query(`SELECT 1 FROM ${table('broadcast_deliveries')} WHERE broadcast_id = 'b5'`)).length > 0 || undefined);
    await api()('POST', '/v1/broadcast-deliveries', { broadcastId: 'b4', status: 'sent', contactId: created.contactId, occurredAt: new Date().toISOString() });
    expect(await run.query(`SELECT count(*)::int AS n FROM ${table('leads')} WHERE contact_id = $1`, [created.contactId])).toEqual([{ n: 0 }]);
    expect(await run.query(`SELECT count(*)::int AS n FROM ${table('broadcast_deliveries')} WHERE broadcast_id IN ('b3', 'b4')`)).toEqual([{ n: 0 }]);
  });
});
