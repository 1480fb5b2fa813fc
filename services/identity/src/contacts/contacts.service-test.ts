import { ContactCreatedEvent, ContactUpdatedEvent } from '@leadline/contracts';
import { awaitEvent, memberHeaders, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.service-definition';
import { apiClient, type Json } from './contacts-test-api';

describe('contacts API', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let api: ReturnType<typeof apiClient>;
  let schema: string;
  const accountId = randomUUID();
  const otherAccountId = randomUUID();
  const member = memberHeaders(accountId, { memberId: randomUUID() });
  const system = systemHeaders(accountId);

  beforeAll(async () => {
    run = await TestRun.start();
    let url: string;
    ({ app, url } = await startService(run, identityService));
    api = apiClient(url);
    schema = run.schema('identity');
    // The account's settings arrive as accounts.v1.account.updated; this account dials from Great Britain.
    await run.query(
      `INSERT INTO ${schema}.account_settings (account_id, version, matching_policy, fill_fields, shared_identifier_limit, identity_secret, default_phone_region)
       VALUES ($1, 1, 'standard', '{postalCode}', 3, 'a-secret-of-sixteen-chars', 'GB')`, [accountId]);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const count = async (table: string, where = 'true', params: unknown[] = []): Promise<number> =>
    (await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.${table} WHERE ${where}`, params))[0]!.n;

  it('creates a contact by hand with normalised emails and phones, and publishes it with origin api', async () => {
    const created = await api('POST', '/v1/contacts', member, {
      firstName: ' Ann ', lastName: 'Lee', emails: ['Ann.Lee@Example.COM', 'ann@work.example'], phones: ['020 7946 0958'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      role: 'lead', displayName: 'Ann Lee', firstName: 'Ann', lastName: 'Lee',
      emails: ['ann.lee@example.com', 'ann@work.example'], phones: ['+442079460958'],
      fieldSources: { firstName: 'member', lastName: 'member' },
    });
    expect(created.body.identifiers.map((i: Json) => [i.kind, i.value, i.verified, i.origin])).toEqual([
      ['email', 'ann.lee@example.com', false, 'member'], ['email', 'ann@work.example', false, 'member'],
      ['phone', '+442079460958', false, 'member'],
    ]);
    const event = await awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e) => e.contactId === created.body.contactId);
    expect(event.data).toMatchObject({ origin: 'api', contact: { displayName: 'Ann Lee', phones: ['+442079460958'] } });
    expect(event.data.conversationId).toBeUndefined();
  });

  it('records an API key caller\'s values as the business\'s systems\' (source system)', async () => {
    const created = await api('POST', '/v1/contacts', system, { firstName: 'Bo', emails: ['bo@example.com'] });
    expect(created.status).toBe(201);
    expect(created.body.fieldSources).toEqual({ firstName: 'system' });
    expect(created.body.identifiers[0]).toMatchObject({ origin: 'api', verified: false });
  });

  it('refuses a contact with nothing to know them by, or a bad email or phone, storing nothing', async () => {
    const before = await count('contacts');
    const empty = await api('POST', '/v1/contacts', member, { address: '1 High St' });
    expect(empty.status).toBe(400);
    expect(empty.body.fields).toEqual([{ field: 'firstName', reason: 'a contact needs a name, an email or a phone' }]);
    const bad = await api('POST', '/v1/contacts', member, { firstName: 'X', emails: ['ok@example.com', 'not-an-email'], phones: ['12'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: Json) => f.field)).toEqual(['emails[1]', 'phones[0]']);
    const unknown = await api('POST', '/v1/contacts', member, { firstName: 'X', nickname: 'x' });
    expect(unknown.status).toBe(400);
    expect(await count('contacts')).toBe(before);
  });

  it('answers 409 naming the contact that holds an email, and stores nothing', async () => {
    const holder = await api('POST', '/v1/contacts', member, { firstName: 'Cy', emails: ['cy@example.com'] });
    const before = await count('contacts');
    const clash = await api('POST', '/v1/contacts', member, { firstName: 'Cyrus', emails: ['CY@example.com'] });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ contactId: holder.body.contactId, identifier: { kind: 'email', value: 'cy@example.com' } });
    expect(clash.body.message).toContain(holder.body.contactId);
    expect(await count('contacts')).toBe(before);
  });

  it('lets the database decide a race: ten creations with one email make one contact', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      api('POST', '/v1/contacts', system, { firstName: `Racer ${i}`, phones: ['+44 7700 900123'] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await count('identifiers', `value = '+447700900123'`)).toBe(1);
    expect(await count('contacts', `first_name LIKE 'Racer%'`)).toBe(1);
  });

  it('applies edits by precedence: a system cannot change a member\'s value, but replaces the AI\'s', async () => {
    const contactId = randomUUID();
    // A contact the AI captured from a conversation (its values carry no source: they count as the AI's).
    await run.query(`INSERT INTO ${schema}.contacts (id, account_id, first_name, last_name, postal_code) VALUES ($1, $2, 'Jon', 'Smith', 'SW1A')`,
      [contactId, accountId]);
    const byMember = await api('PATCH', `/v1/contacts/${contactId}`, member, { lastName: 'Smyth' });
    expect(byMember.status).toBe(200);
    expect(byMember.body).toMatchObject({ lastName: 'Smyth', fieldSources: { lastName: 'member' }, ignored: [] });

    const bySystem = await api('PATCH', `/v1/contacts/${contactId}`, system, { firstName: 'John', lastName: 'Smith' });
    expect(bySystem.status).toBe(200);
    expect(bySystem.body).toMatchObject({ firstName: 'John', lastName: 'Smyth', fieldSources: { firstName: 'system', lastName: 'member' } });
    expect(bySystem.body.ignored).toEqual([{ field: 'lastName', reason: 'kept the value a member set: a system\'s value does not replace it' }]);

    const updated = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent,
      (e) => e.contactId === contactId && e.changedFields.includes('firstName'));
    expect(updated.data).toMatchObject({ changedFields: ['firstName'], contact: { displayName: 'John Smyth' } });

    const cleared = await api('PATCH', `/v1/contacts/${contactId}`, member, { postalCode: null });
    expect(cleared.body.postalCode).toBeNull();
    const stored = await run.query(`SELECT first_name, last_name, postal_code, field_sources FROM ${schema}.contacts WHERE id = $1`, [contactId]);
    expect(stored).toEqual([{ first_name: 'John', last_name: 'Smyth', postal_code: null, field_sources: { firstName: 'system', lastName: 'member' } }]);
  });

  it('publishes nothing when an edit changes nothing', async () => {
    const created = await api('POST', '/v1/contacts', member, { firstName: 'Dee' });
    const same = await api('PATCH', `/v1/contacts/${created.body.contactId}`, member, { firstName: 'Dee' });
    expect(same.status).toBe(200);
    await api('PATCH', `/v1/contacts/${created.body.contactId}`, member, { lastName: 'Marker' });
    const updates = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent, (e) => e.contactId === created.body.contactId);
    expect(updates.data.changedFields).toEqual(['lastName']);
  });

  it('adds and removes several emails, phones and device ids', async () => {
    const { body: contact } = await api('POST', '/v1/contacts', member, { firstName: 'Eve' });
    const path = `/v1/contacts/${contact.contactId}/identifiers`;
    expect((await api('POST', path, member, { kind: 'email', value: 'Eve@Example.com' })).status).toBe(201);
    expect((await api('POST', path, member, { kind: 'email', value: 'eve@home.example' })).status).toBe(201);
    const phone = await api('POST', path, system, { kind: 'phone', value: '07700 900456' });
    expect(phone).toMatchObject({ status: 201, body: { kind: 'phone', value: '+447700900456', verified: false, origin: 'api' } });
    expect((await api('POST', path, member, { kind: 'phone', value: '+44 7700 900456' })).status).toBe(200);
    const deviceId = randomUUID();
    expect((await api('POST', path, member, { kind: 'device', value: deviceId })).status).toBe(201);

    const external = await api('POST', path, member, { kind: 'external_user', value: 'u-1' });
    expect(external.status).toBe(400);
    expect(external.body.fields[0].field).toBe('kind');
    const badPhone = await api('POST', path, member, { kind: 'phone', value: 'call me' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.fields[0].field).toBe('value');

    const detail = await api('GET', `/v1/contacts/${contact.contactId}`, member);
    expect(detail.body.emails).toEqual(['eve@example.com', 'eve@home.example']);
    expect(detail.body.phones).toEqual(['+447700900456']);
    expect(detail.body.identifiers.map((i: Json) => i.kind)).toEqual(['email', 'email', 'phone', 'device']);

    const removed = await api('DELETE', `${path}/${phone.body.id}`, member);
    expect(removed.status).toBe(204);
    expect((await api('DELETE', `${path}/${phone.body.id}`, member)).status).toBe(404);
    expect((await api('GET', `/v1/contacts/${contact.contactId}`, member)).body.phones).toEqual([]);
    const updated = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent,
      (e) => e.contactId === contact.contactId && e.changedFields.includes('phones') && e.contact.phones.length === 0);
    expect(updated.data.contact.emails).toEqual(['eve@example.com', 'eve@home.example']);
  });

  it('refuses an identifier another contact holds, naming it', async () => {
    const { body: holder } = await api('POST', '/v1/contacts', member, { firstName: 'Fay', emails: ['fay@example.com'] });
    const { body: other } = await api('POST', '/v1/contacts', member, { firstName: 'Faye' });
    const clash = await api('POST', `/v1/contacts/${other.contactId}/identifiers`, member, { kind: 'email', value: 'FAY@example.com' });
    expect(clash.status).toBe(409);
    expect(clash.body.contactId).toBe(holder.contactId);
    expect(await count('identifiers', 'contact_id = $1', [other.contactId])).toBe(0);
  });

  it('shows a contact with its conversations and summaries, and nothing of another account', async () => {
    const { body: contact } = await api('POST', '/v1/contacts', member, { firstName: 'Gus' });
    const conversationId = randomUUID();
    await run.query(`INSERT INTO ${schema}.conversation_links (conversation_id, account_id, contact_id, duplicate) VALUES ($1, $2, $3, false)`,
      [conversationId, accountId, contact.contactId]);
    await run.query(
      `INSERT INTO ${schema}.contact_summaries (id, account_id, contact_id, conversation_id, cycle, summary, signals)
       VALUES ($1, $2, $3, $4, 1, 'Wants a quote for a patio', '{"intent":"high"}')`, [randomUUID(), accountId, contact.contactId, conversationId]);
    const detail = await api('GET', `/v1/contacts/${contact.contactId}`, member);
    expect(detail.body.conversations).toEqual([expect.objectContaining({ conversationId, duplicate: false })]);
    expect(detail.body.summaries).toEqual([expect.objectContaining({ conversationId, cycle: 1, summary: 'Wants a quote for a patio' })]);

    const outsider = memberHeaders(otherAccountId, { memberId: randomUUID() });
    expect((await api('GET', `/v1/contacts/${contact.contactId}`, outsider)).status).toBe(404);
    expect((await api('PATCH', `/v1/contacts/${contact.contactId}`, outsider, { firstName: 'Hacked' })).status).toBe(404);
    expect((await api('POST', `/v1/contacts/${contact.contactId}/identifiers`, outsider, { kind: 'email', value: 'x@y.co' })).status).toBe(404);
    expect((await api('GET', `/v1/contacts/${randomUUID()}`, member)).status).toBe(404);
    expect((await api('GET', '/v1/contacts/not-a-uuid', member)).status).toBe(400);
  });

  it('asks for a credential', async () => {
    expect((await api('GET', '/v1/contacts', {})).status).toBe(401);
    expect((await api('POST', '/v1/contacts', {}, { firstName: 'Nobody' })).status).toBe(401);
  });
});
