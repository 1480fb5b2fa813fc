import { memberHeaders, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { apiClient, type Json } from '../contacts/contacts-test-api';
import { identityService } from '../identity.service-definition';

describe('contact search', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let api: ReturnType<typeof apiClient>;
  const accountId = randomUUID();
  const member = memberHeaders(accountId, { memberId: randomUUID() });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    run = await TestRun.start();
    let url: string;
    ({ app, url } = await startService(run, identityService));
    api = apiClient(url);
    const people = [
      { key: 'john', firstName: 'John', lastName: 'Smith', emails: ['John.Smith@Example.com'], phones: ['(555) 123-4567'] },
      { key: 'johanna', firstName: 'johanna', lastName: 'Berg', emails: ['jo@berg.example'] },
      { key: 'anna', firstName: 'Anna', lastName: 'Johnson', phones: ['+1 555 987 6543'] },
      { key: 'mary', firstName: 'Mary', lastName: 'Smithers' },
      { key: 'percent', firstName: '50%', lastName: 'Off' },
    ];
    for (const { key, ...person } of people) ids[key] = (await api('POST', '/v1/contacts', member, person)).body.contactId;
    // Another account's John, who must never show up.
    await api('POST', '/v1/contacts', memberHeaders(randomUUID(), { memberId: randomUUID() }), { firstName: 'John', emails: ['john.smith@example.com'] });
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const found = async (query: string): Promise<string[]> => {
    const response = await api('GET', `/v1/contacts?${query}`, member);
    expect(response.status).toBe(200);
    return response.body.contacts.map((c: Json) => c.contactId);
  };

  it('finds by email in any case', async () => {
    expect(await found('email=JOHN.smith%40example.com')).toEqual([ids['john']]);
    expect(await found('email=nobody%40example.com')).toEqual([]);
  });

  it('finds by phone in any format', async () => {
    for (const phone of ['555-123-4567', '+1 (555) 123 4567', '15551234567']) {
      expect(await found(`phone=${encodeURIComponent(phone)}`)).toEqual([ids['john']]);
    }
  });

  it('finds by a case-insensitive prefix of the first, last or full name, in the order of the name that matched', async () => {
    // johanna (first name), john (first name), johnson (Anna's last name)
    expect(await found('name=jo')).toEqual([ids['johanna'], ids['john'], ids['anna']]);
    expect(await found('name=SMITH')).toEqual([ids['john'], ids['mary']]);
    expect(await found('name=john%20sm')).toEqual([ids['john']]);
    expect(await found('name=50%25')).toEqual([ids['percent']]);
    expect(await found('name=5_')).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await found('name=smith&phone=5551234567')).toEqual([ids['john']]);
    expect(await found('name=mary&phone=5551234567')).toEqual([]);
  });

  it('pages with a cursor until every contact was seen once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await api('GET', `/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, member);
      expect(page.body.contacts.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.contacts.map((c: Json) => c.contactId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Object.values(ids).reverse());
  });

  it('pages through a name search, listing a contact once even when its first and last names both match', async () => {
    const smiths: string[] = [];
    for (const [firstName, lastName] of [['Zed', 'Smalls'], ['Smiley', 'Smart'], ['Al', 'Small'], ['Bo', 'Small'], ['Smo', null]]) {
      smiths.push((await api('POST', '/v1/contacts', member, { firstName, ...(lastName ? { lastName } : {}) })).body.contactId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await api('GET', `/v1/contacts?name=sm&limit=2${cursor ? `&cursor=${cursor}` : ''}`, member);
      expect(page.status).toBe(200);
      seen.push(...page.body.contacts.map((c: Json) => c.contactId));
      cursor = page.body.nextCursor;
    } while (cursor);
    // small (Al, Bo: ties in id order), smalls, smiley (first name; its last name "Smart" too), smith, smithers, smo
    const [zed, smiley, al, bo, smo] = smiths;
    expect(seen).toEqual([al, bo, zed, smiley, ids['john'], ids['mary'], smo]);
  });

  it('hides contacts merged into another', async () => {
    await run.query(`UPDATE ${run.schema('identity')}.contacts SET merged_into_id = $1 WHERE id = $2`, [ids['john'], ids['mary']]);
    expect(await found('name=smith')).toEqual([ids['john']]);
    await run.query(`UPDATE ${run.schema('identity')}.contacts SET merged_into_id = NULL WHERE id = $1`, [ids['mary']]);
  });

  it('answers 400 for a bad phone, email, limit or cursor', async () => {
    for (const [query, field] of [['phone=12', 'phone'], ['email=nope', 'email'], ['limit=0', 'limit'], ['limit=500', 'limit'],
      ['cursor=bogus', 'cursor'], ['name=', 'name']]) {
      const response = await api('GET', `/v1/contacts?${query}`, member);
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: Json) => f.field)).toContain(field);
    }
  });
});
