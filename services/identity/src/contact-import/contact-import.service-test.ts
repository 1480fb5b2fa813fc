import { ContactCreatedEvent, ContactUpdatedEvent } from '@leadline/contracts';
import { awaitEvent, collectEvents, memberHeaders, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { apiClient, type Json } from '../contacts/contacts-test-api';
import { identityService } from '../identity.service-definition';

describe('contacts CSV import', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let api: ReturnType<typeof apiClient>;
  let schema: string;
  const accountId = randomUUID();
  const member = memberHeaders(accountId, { memberId: randomUUID() });
  const system = systemHeaders(accountId);

  beforeAll(async () => {
    run = await TestRun.start();
    let url: string;
    ({ app, url } = await startService(run, identityService, { CONTACT_IMPORT_MAX_ROWS: '10', CONTACT_IMPORT_MAX_BYTES: '4096' }));
    api = apiClient(url);
    schema = run.schema('identity');
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const importCsv = (csv: string, headers = system) => api('POST', '/v1/contacts/import', headers, csv, 'text/csv');
  const count = async (table: string, where = 'true', params: unknown[] = []): Promise<number> =>
    (await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.${table} WHERE ${where}`, params))[0]!.n;

  it('creates new contacts, matches known ones on exact identifiers, and reports every row', async () => {
    // Known before the import: one the AI captured (values without a source count as the AI's, lastName a member set).
    const known = randomUUID();
    await run.query(`INSERT INTO ${schema}.contacts (id, account_id, first_name, last_name, field_sources) VALUES ($1, $2, 'Jon', 'Smyth', '{"lastName":"member"}')`,
      [known, accountId]);
    await run.query(`INSERT INTO ${schema}.identifiers (id, account_id, contact_id, kind, value, verified, source) VALUES ($1, $2, $3, 'email', 'jon@example.com', false, 'extraction')`,
      [randomUUID(), accountId, known]);
    const other = (await api('POST', '/v1/contacts', member, { firstName: 'Pat', phones: ['+1 555 000 1111'] })).body.contactId;

    const report = await importCsv([
      'first_name,last_name,email,phone,postal_code',
      'Ann,Lee,ann@example.com,(555) 123-4567,10001',
      'John,Smith,JON@example.com,,90210',
      'Annie,,ann@example.com,,',
      'Bob,,not-an-email,,',
      'Mix,Up,jon@example.com,555-000-1111,',
      ',,,+1 555 222 3333,',
    ].join('\n'));
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ created: 2, matched: 2, rejected: 2 });
    const rows = report.body.rows;
    expect(rows.map((r: Json) => [r.line, r.outcome])).toEqual([
      [2, 'created'], [3, 'matched'], [4, 'matched'], [5, 'rejected'], [6, 'rejected'], [7, 'created']]);
    expect(rows[1].contactId).toBe(known);
    expect(rows[2].contactId).toBe(rows[0].contactId);
    expect(rows[3].reason).toBe('"not-an-email" is not an e-mail address');
    expect(rows[4].reason).toContain(`belongs to contact ${known}`);
    expect(rows[4].reason).toContain(other);

    // The match takes the business's values over the AI's but keeps the member's, and its email is now verified.
    const matched = (await api('GET', `/v1/contacts/${known}`, member)).body;
    expect(matched).toMatchObject({ firstName: 'John', lastName: 'Smyth', postalCode: '90210',
      fieldSources: { firstName: 'system', lastName: 'member', postalCode: 'system' } });
    expect(matched.identifiers).toEqual([expect.objectContaining({ value: 'jon@example.com', verified: true, origin: 'extraction' })]);

    const ann = (await api('GET', `/v1/contacts/${rows[0].contactId}`, member)).body;
    // Row 4 matched row 2's contact: like any later value from the business's systems, its first name replaced row 2's.
    expect(ann).toMatchObject({ firstName: 'Annie', lastName: 'Lee', fieldSources: { firstName: 'system' } });
    expect(ann.identifiers.map((i: Json) => [i.value, i.verified, i.origin])).toEqual([
      ['ann@example.com', true, 'import'], ['+15551234567', true, 'import']]);
    // The row rejected for pointing at two people changed neither of them.
    expect(await count('identifiers', 'contact_id = $1', [other])).toBe(1);

    const created = await collectEvents(run.js, run.naming(), ContactCreatedEvent, (e) => e.origin === 'import', 2);
    expect(created.map((e) => e.data.contactId).sort()).toEqual([rows[0].contactId, rows[5].contactId].sort());
    expect(created.every((e) => e.data.conversationId === undefined)).toBe(true);
    const updated = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent, (e) => e.contactId === known);
    expect(updated.data.changedFields.sort()).toEqual(['firstName', 'postalCode']);
  });

  it('matches everything and creates nothing when the same file comes again', async () => {
    const csv = 'first_name,email\nQuinn,quinn@example.com\nRita,rita@example.com\n';
    expect((await importCsv(csv)).body).toMatchObject({ created: 2, matched: 0 });
    const contacts = await count('contacts');
    expect((await importCsv(csv)).body).toMatchObject({ created: 0, matched: 2, rejected: 0 });
    expect(await count('contacts')).toBe(contacts);
  });

  it('rejects a bad file whole, with the line and the reason, and stores nothing', async () => {
    const contacts = await count('contacts');
    const header = await importCsv('first_name,favourite_colour\nSam,blue\n');
    expect(header.status).toBe(400);
    expect(header.body).toMatchObject({ line: 1, reason: expect.stringContaining('unknown column "favourite_colour"') });
    expect(header.body.fields).toEqual([{ field: 'line 1', reason: header.body.reason }]);

    const broken = await importCsv('first_name,email\nSam,sam@example.com\nTed,ted@example.com\nUma,"uma@example.com\n');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ line: 4, reason: expect.stringContaining('not readable as CSV') });

    const ragged = await importCsv('first_name,email\nSam,sam@example.com\nTed\n');
    expect(ragged.body).toMatchObject({ line: 3 });

    const tooMany = await importCsv(`first_name\n${Array.from({ length: 11 }, (_, i) => `Name${i}`).join('\n')}\n`);
    expect(tooMany.body).toMatchObject({ line: 12, reason: 'the file has more than 10 rows: split it into smaller files' });

    expect(await count('contacts')).toBe(contacts);
    expect(await count('identifiers', `value = 'sam@example.com'`)).toBe(0);
  });

  it('takes only a CSV body, up to the size limit', async () => {
    expect((await api('POST', '/v1/contacts/import', system, { csv: 'first_name\nA' })).status).toBe(400);
    expect((await api('POST', '/v1/contacts/import', system, 'first_name\nA\n', 'text/plain')).status).toBe(415);
    expect((await importCsv(`first_name,address\nBig,${'x'.repeat(5000)}\n`)).status).toBe(413);
    expect((await api('POST', '/v1/contacts/import', {}, 'first_name\nA\n', 'text/csv')).status).toBe(401);
  });
});
