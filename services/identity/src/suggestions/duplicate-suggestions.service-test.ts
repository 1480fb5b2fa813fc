import { ContactCreatedEvent, type ContactCreated } from '@leadline/contracts';
import { awaitEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.service-definition';
import { analyzed, publishAccount, publishAnalyzed, type Shared } from '../resolution/test-events';
import { http } from '../resolution/test-http';

interface Listed {
  id: string;
  status: string;
  source: string;
  probability: number | null;
  reasons: { field: string; text: string; weight?: number }[];
  contactA: { contactId: string; displayName: string };
  contactB: { contactId: string; displayName: string };
}

describe('duplicate suggestions from the probabilistic scorer', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, identityService));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const schema = () => run.schema('identity');
  async function contact(accountId: string, shared: Shared): Promise<string> {
    const event = await publishAnalyzed(run, analyzed(accountId, shared));
    return (await awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.conversationId === event.conversationId)).data.contactId;
  }
  const list = async (accountId: string, query = '') => (await http<Listed[]>('GET', `${url}/v1/duplicate-suggestions${query}`, undefined, accountId)).body;

  it('finds a nickname with a dotted, tagged email, lists it with its reasons, and keeps a dismissal', async () => {
    const accountId = randomUUID();
    await publishAccount(run, accountId);
    const robert = await contact(accountId, { firstName: 'Robert', lastName: 'Miller', email: 'rob.miller@gmail.com', postalCode: '2000' });
    const bob = await contact(accountId, { firstName: 'Bob', lastName: 'Miller', email: 'robmiller+leads@gmail.com', postalCode: '2000' });
    await contact(accountId, { firstName: 'Susan', lastName: 'Miller', email: 'susan@acme.example', postalCode: '2000' });
    await contact(accountId, { firstName: 'Tom', lastName: 'Jones', phone: '(555) 300-4000' });
    await contact(accountId, { firstName: 'Thomas', lastName: 'Jones', email: 'tj@example.com' });
    expect(await list(accountId)).toEqual([]);

    const scan = await http('POST', `${url}/v1/duplicate-suggestions/scan`, undefined, accountId);
    expect(scan.status).toBe(200);
    expect(scan.body).toMatchObject({ contacts: 5, possiblePairs: 10 });
    const listed = await list(accountId);
    const pair = listed.find((s) => [s.contactA.contactId, s.contactB.contactId].sort().join() === [robert, bob].sort().join());
    expect(pair).toMatchObject({ source: 'scorer', status: 'open', probability: expect.any(Number) });
    expect(pair!.reasons.map((r) => r.text)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^first name nickname: (Robert ~ Bob|Bob ~ Robert)$/),
      expect.stringMatching(/^same email ignoring dots and \+tag: /),
    ]));
    // Another account sees none of it, and cannot dismiss it.
    expect(await list(randomUUID())).toEqual([]);
    expect((await http('POST', `${url}/v1/duplicate-suggestions/${pair!.id}/dismiss`, undefined, randomUUID())).status).toBe(404);

    const dismissed = await http('POST', `${url}/v1/duplicate-suggestions/${pair!.id}/dismiss`, undefined, accountId);
    expect(dismissed).toMatchObject({ status: 200, body: { id: pair!.id, status: 'dismissed' } });
    await http('POST', `${url}/v1/duplicate-suggestions/scan`, undefined, accountId);
    expect((await list(accountId)).map((s) => s.id)).not.toContain(pair!.id);
    expect((await list(accountId, '?status=dismissed')).map((s) => s.id)).toEqual([pair!.id]);
    expect((await list(accountId, `?contactId=${robert}&status=dismissed`)).map((s) => s.id)).toEqual([pair!.id]);
    const bad = await http('GET', `${url}/v1/duplicate-suggestions?status=maybe&limit=0`, undefined, accountId);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'status']);
  });

  it('scans a large account quickly thanks to blocking', async () => {
    const accountId = randomUUID();
    const size = 10_000;
    // Contacts written straight to the tables: what matters here is the scan, not how they came to be.
    await run.query(`
      INSERT INTO ${schema()}.contacts (id, account_id, role, first_name, last_name, postal_code)
      SELECT gen_random_uuid(), $1, 'lead', (ARRAY['Ann','Bob','Cy','Dee','Eve','Fay','Gus','Hal'])[1 + i % 8], 'Surname' || (i / 3), lpad((i % 997)::text, 4, '0')
        FROM generate_series(1, $2) AS i`, [accountId, size]);
    await run.query(`
      INSERT INTO ${schema()}.identifiers (id, account_id, contact_id, kind, value, verified, source)
      SELECT gen_random_uuid(), account_id, id, 'email', lower(first_name || '.' || last_name || '.' || left(id::text, 8)) || '@example.com', false, 'test'
        FROM ${schema()}.contacts WHERE account_id = $1`, [accountId]);
    const scan = await http('POST', `${url}/v1/duplicate-suggestions/scan`, undefined, accountId);
    expect(scan.status).toBe(200);
    expect(scan.body.contacts).toBe(size);
    // Blocking: a tiny fraction of the 50 million possible pairs is ever compared (load-independent evidence).
    expect(scan.body.candidatePairs).toBeLessThan(scan.body.possiblePairs / 500);
    // Generous: the machine running the tests is shared; on an idle one this takes about 2 s.
    expect(scan.body.durationMs).toBeLessThan(30_000);
    console.log(`scan of ${size} contacts: ${JSON.stringify(scan.body)}`);
  });
});
