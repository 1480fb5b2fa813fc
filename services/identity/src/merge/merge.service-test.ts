import {
  ContactCreatedEvent, ContactMatchedEvent, ContactsMergedEvent, ContactsUnmergedEvent, type ContactCreated, type ContactMatched,
} from '@leadline/contracts';
import { awaitEvent, eventually, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.service-definition';
import { analyzed, publishAccount, publishAnalyzed, type Shared } from '../resolution/test-events';
import { http } from '../resolution/test-http';

describe('merging and unmerging contacts', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, identityService));
    await publishAccount(run, accountId);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const schema = () => run.schema('identity');
  async function conversation(shared: Shared, identifiers?: { kind: 'device' | 'external_user'; value: string; verified: boolean }[]) {
    const event = await publishAnalyzed(run, analyzed(accountId, shared, identifiers ? { identifiers } : {}));
    const verdict = await Promise.race([
      awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.conversationId === event.conversationId),
      awaitEvent(run.js, run.naming(), ContactMatchedEvent, (e: ContactMatched) => e.conversationId === event.conversationId),
    ]);
    return { conversationId: event.conversationId, contactId: verdict.data.contactId };
  }
  const owned = async (contactId: string) => ({
    identifiers: (await run.query<{ value: string }>(`SELECT value FROM ${schema()}.identifiers WHERE contact_id = $1 ORDER BY value`, [contactId])).map((r) => r.value),
    conversations: (await run.query<{ conversation_id: string }>(`SELECT conversation_id FROM ${schema()}.conversation_links WHERE contact_id = $1 ORDER BY conversation_id`, [contactId])).map((r) => r.conversation_id),
    summaries: Number((await run.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema()}.contact_summaries WHERE contact_id = $1`, [contactId]))[0]!.n),
  });
  const contactRow = async (id: string) => (await run.query(`SELECT first_name, postal_code, role, merged_into_id FROM ${schema()}.contacts WHERE id = $1`, [id]))[0];

  it('the survivor keeps its fields, fills its blanks and takes everything; an unmerge restores both', async () => {
    const john = await conversation({ firstName: 'John', lastName: 'Smith', email: 'john@example.com' });
    const johnny = await conversation({ firstName: 'Johnny', email: 'jsmith@work.example', phone: '555-444-1212', postalCode: '90210' });
    const johnnyAgain = await conversation({ email: 'jsmith@work.example' });
    expect(johnnyAgain.contactId).toBe(johnny.contactId);
    const before = { john: await owned(john.contactId), johnny: await owned(johnny.contactId) };
    expect(before.johnny.identifiers).toHaveLength(4); // two browsers' devices, the email and the phone

    const merged = await http('POST', `${url}/v1/contacts/${john.contactId}/merge`, { otherContactId: johnny.contactId }, accountId);
    expect(merged.status).toBe(201);
    expect(merged.body).toMatchObject({
      survivorContactId: john.contactId, mergedContactId: johnny.contactId, mergedBy: expect.objectContaining({ kind: 'member' }),
      survivor: { firstName: 'John', postalCode: '90210', emails: expect.arrayContaining(['john@example.com', 'jsmith@work.example']), phones: ['+15554441212'] },
      moved: { filledFields: ['postalCode'], identifiers: 4, summaries: 2 },
    });
    const after = await owned(john.contactId);
    expect(after.identifiers).toEqual([...before.john.identifiers, ...before.johnny.identifiers].sort());
    expect(after.conversations).toEqual([john.conversationId, johnny.conversationId, johnnyAgain.conversationId].sort());
    expect(after.summaries).toBe(3);
    expect(await owned(johnny.contactId)).toEqual({ identifiers: [], conversations: [], summaries: 0 });
    expect(await contactRow(johnny.contactId)).toMatchObject({ merged_into_id: john.contactId });
    const event = await awaitEvent(run.js, run.naming(), ContactsMergedEvent, (e) => e.mergeId === merged.body.mergeId);
    expect(event.data).toMatchObject({ survivorContactId: john.contactId, mergedContactId: johnny.contactId });
    expect([...event.data.conversationIds!].sort()).toEqual([johnny.conversationId, johnnyAgain.conversationId].sort());

    // The audit record.
    const audit = await http('GET', `${url}/v1/merges?contactId=${johnny.contactId}`, undefined, accountId);
    expect(audit.body).toEqual([expect.objectContaining({ mergeId: merged.body.mergeId, survivorContactId: john.contactId })]);
    // Johnny's email now finds the survivor.
    const afterMerge = await conversation({ email: 'jsmith@work.example' });
    expect(afterMerge.contactId).toBe(john.contactId);
    // Merging the merged one again is refused with the reason.
    const twice = await http('POST', `${url}/v1/contacts/${john.contactId}/merge`, { otherContactId: johnny.contactId }, accountId);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already merged into/);

    const unmerged = await http('POST', `${url}/v1/merges/${merged.body.mergeId}/unmerge`, undefined, accountId);
    expect(unmerged.status).toBe(200);
    expect(await owned(johnny.contactId)).toEqual(before.johnny);
    // What the survivor had, plus what came after the merge (that conversation's device) and nothing of Johnny's.
    const survivorNow = await owned(john.contactId);
    expect(survivorNow.identifiers).toEqual(expect.arrayContaining(before.john.identifiers));
    expect(survivorNow.identifiers).toHaveLength(before.john.identifiers.length + 1);
    expect(survivorNow.conversations).toEqual([john.conversationId, afterMerge.conversationId].sort());
    expect(await contactRow(john.contactId)).toMatchObject({ first_name: 'John', postal_code: null });
    expect(await contactRow(johnny.contactId)).toMatchObject({ first_name: 'Johnny', postal_code: '90210', merged_into_id: null });
    const undone = await awaitEvent(run.js, run.naming(), ContactsUnmergedEvent, (e) => e.mergeId === merged.body.mergeId);
    expect(undone.data).toMatchObject({ restoredContactId: johnny.contactId, restored: { firstName: 'Johnny' } });
    expect([...undone.data.conversationIds].sort()).toEqual([johnny.conversationId, johnnyAgain.conversationId].sort());
    const again = await http('POST', `${url}/v1/merges/${merged.body.mergeId}/unmerge`, undefined, accountId);
    expect(again.status).toBe(409);
  });

  it('the survivor takes the other\'s events, the attributes it lacks and its company; an unmerge gives them back', async () => {
    const kim = await conversation({ firstName: 'Kim', email: 'kim@example.com' });
    const kimberly = await conversation({ firstName: 'Kimberly', email: 'kimberly@example.com' });
    const put = (contactId: string, path: string, body: unknown) => http('PUT', `${url}/v1/contacts/${contactId}/${path}`, body, accountId);
    expect((await put(kim.contactId, 'attributes', { attributes: [{ key: 'plan', type: 'string', value: 'basic' }] })).status).toBe(200);
    expect((await put(kimberly.contactId, 'attributes', { attributes: [
      { key: 'plan', type: 'string', value: 'pro' }, { key: 'seats', type: 'number', value: 3 }] })).status).toBe(200);
    expect((await put(kimberly.contactId, 'company', { companyId: 'globex', name: 'Globex' })).status).toBe(200);
    const pageView = await http('POST', `${url}/v1/contacts/${kimberly.contactId}/events`, { name: 'page_view', metadata: { url: '/pricing' } }, accountId);
    expect(pageView.status).toBe(201);
    const detail = async (contactId: string) => (await http('GET', `${url}/v1/contacts/${contactId}`, undefined, accountId)).body;

    const merged = await http('POST', `${url}/v1/contacts/${kim.contactId}/merge`, { otherContactId: kimberly.contactId }, accountId);
    expect(merged.status).toBe(201);
    expect(merged.body.moved).toMatchObject({ events: 1, attributes: ['seats'] });
    const survivor = await detail(kim.contactId);
    expect(survivor.attributes.map((a: { key: string; value: unknown }) => [a.key, a.value])).toEqual([['plan', 'basic'], ['seats', 3]]);
    expect(survivor.company).toMatchObject({ companyId: 'globex', name: 'Globex' });
    expect(survivor.recentEvents.map((e: { id: string }) => e.id)).toEqual([pageView.body.id]);

    expect((await http('POST', `${url}/v1/merges/${merged.body.mergeId}/unmerge`, undefined, accountId)).status).toBe(200);
    const [back, restored] = [await detail(kim.contactId), await detail(kimberly.contactId)];
    expect(back).toMatchObject({ company: null, recentEvents: [] });
    expect(back.attributes.map((a: { key: string }) => a.key)).toEqual(['plan']);
    expect(restored.attributes.map((a: { key: string; value: unknown }) => [a.key, a.value])).toEqual([['plan', 'pro'], ['seats', 3]]);
    expect(restored.company).toMatchObject({ companyId: 'globex' });
    expect(restored.recentEvents.map((e: { id: string }) => e.id)).toEqual([pageView.body.id]);
  });

  it('after 30 days an unmerge is refused with the reason', async () => {
    const a = await conversation({ email: 'old-a@example.com' });
    const b = await conversation({ email: 'old-b@example.com' });
    const merged = await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: b.contactId }, accountId);
    expect(merged.status).toBe(201);
    await run.query(`UPDATE ${schema()}.contact_merges SET merged_at = now() - interval '31 days' WHERE id = $1`, [merged.body.mergeId]);
    const late = await http('POST', `${url}/v1/merges/${merged.body.mergeId}/unmerge`, undefined, accountId);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/can be undone for 30 days.*31 days ago/);
    expect(await contactRow(b.contactId)).toMatchObject({ merged_into_id: a.contactId });
  });

  it('an earlier merge cannot be undone while its survivor is itself merged into a third contact', async () => {
    const a = await conversation({ email: 'chain-a@example.com' });
    const b = await conversation({ email: 'chain-b@example.com' });
    const c = await conversation({ email: 'chain-c@example.com' });
    const first = await http('POST', `${url}/v1/contacts/${b.contactId}/merge`, { otherContactId: a.contactId }, accountId);
    const second = await http('POST', `${url}/v1/contacts/${c.contactId}/merge`, { otherContactId: b.contactId }, accountId);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await owned(c.contactId)).identifiers.filter((v) => v.startsWith('chain-'))).toEqual(['chain-a@example.com', 'chain-b@example.com', 'chain-c@example.com']);
    const blocked = await http('POST', `${url}/v1/merges/${first.body.mergeId}/unmerge`, undefined, accountId);
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(new RegExp(`merged into contact ${c.contactId}.*undo that merge first`));
    expect((await http('POST', `${url}/v1/merges/${second.body.mergeId}/unmerge`, undefined, accountId)).status).toBe(200);
    expect((await http('POST', `${url}/v1/merges/${first.body.mergeId}/unmerge`, undefined, accountId)).status).toBe(200);
    for (const x of [a, b, c]) expect((await owned(x.contactId)).conversations).toEqual([x.conversationId]);
  });

  it('refuses bad requests: itself, unknown or other account\'s contacts, two different users', async () => {
    const a = await conversation({ email: 'self@example.com' });
    expect((await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: a.contactId }, accountId)).status).toBe(400);
    const invalid = await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: 'nope' }, accountId);
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields).toEqual([expect.objectContaining({ field: 'otherContactId' })]);
    expect((await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: randomUUID() }, accountId)).status).toBe(404);
    const other = await conversation({ email: 'other@example.com' });
    expect((await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: other.contactId }, randomUUID())).status).toBe(404);
    expect((await http('POST', `${url}/v1/merges/${randomUUID()}/unmerge`, undefined, accountId)).status).toBe(404);

    const u1 = await conversation({ email: 'u1@example.com' }, [{ kind: 'external_user', value: 'user-1', verified: true }]);
    const u2 = await conversation({ email: 'u2@example.com' }, [{ kind: 'external_user', value: 'user-2', verified: true }]);
    const users = await http('POST', `${url}/v1/contacts/${u1.contactId}/merge`, { otherContactId: u2.contactId }, accountId);
    expect(users.status).toBe(409);
    expect(users.body.message).toMatch(/different external user ids/);
    await eventually(async () => (await contactRow(u2.contactId))?.['merged_into_id'] === null ? true : undefined);
  });
});
