import { ApiKeyIssuedEvent, ApiKeyRevokedEvent, MemberRemovedEvent } from '@leadline/contracts';
import { awaitEvent, eventually, memberHeaders, operatorHeaders, startService, systemHeaders, testToken, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomUUID } from 'node:crypto';
import { accountsService } from '../accounts.service-definition';

interface Json { [key: string]: unknown }

describe('accounts: API keys, sessions and tenant isolation', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;

  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${url}${path}`, {
      method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
  }

  async function createAccount(name: string): Promise<{ id: string; key: string; admin: string; agent: string }> {
    const created = await call('POST', '/v1/accounts', operatorHeaders(), {
      name, domain: `${name.toLowerCase()}.example`,
      channels: [{ kind: 'sms', address: `+1555${Math.floor(Math.random() * 1e7)}`, authToken: 'twilio-secret-token' }],
      members: [
        { email: `admin@${name.toLowerCase()}.example`, name: 'Admin', role: 'admin' },
        { email: `agent@${name.toLowerCase()}.example`, name: 'Agent', role: 'agent' },
      ],
    });
    expect(created.status).toBe(201);
    const members = created.body['members'] as Json[];
    return {
      id: created.body['id'] as string,
      key: (created.body['apiKey'] as Json)['key'] as string,
      admin: members.find((m) => m['role'] === 'admin')!['id'] as string,
      agent: members.find((m) => m['role'] === 'agent')!['id'] as string,
    };
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, accountsService));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  it('shows an API key once, stores only its hash, accepts it, and stops accepting it once revoked', async () => {
    const account = await createAccount('Keys');
    const issued = await call('POST', `/v1/accounts/${account.id}/api-keys`, memberHeaders(account.id, { memberId: account.admin }), { name: 'CRM sync' });
    expect(issued.status).toBe(201);
    const key = issued.body['key'] as string;
    expect(key).toMatch(/^llk_/);
    const stored = await run.query<{ key_hash: string }>(`SELECT key_hash FROM ${run.schema('accounts')}.api_keys WHERE id = $1`, [issued.body['id']]);
    expect(stored).toEqual([{ key_hash: createHash('sha256').update(key).digest('hex') }]);
    const event = await awaitEvent(run.js, run.naming(), ApiKeyIssuedEvent, (e) => e.apiKeyId === issued.body['id']);
    expect(JSON.stringify(event.data)).not.toContain(key);

    const listed = await call('GET', `/v1/accounts/${account.id}/api-keys`, memberHeaders(account.id, { memberId: account.admin }));
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body).toHaveLength(2); // the first key from account creation, and this one

    const withKey = await eventually(async () => {
      const r = await call('GET', `/v1/accounts/${account.id}`, bearer(key));
      return r.status === 200 ? r : undefined;
    }, 10_000, 'the directory to learn the key');
    expect(withKey.body['identitySecret']).toEqual(expect.any(String));

    expect((await call('DELETE', `/v1/accounts/${account.id}/api-keys/${issued.body['id'] as string}`, bearer(account.key))).status).toBe(204);
    await awaitEvent(run.js, run.naming(), ApiKeyRevokedEvent, (e) => e.apiKeyId === issued.body['id']);
    await eventually(async () => ((await call('GET', `/v1/accounts/${account.id}`, bearer(key))).status === 401 ? true : undefined),
      10_000, 'the revoked key to be refused');
    expect((await call('GET', `/v1/accounts/${account.id}`, bearer(account.key))).status).toBe(200);
  });

  it('issues member sessions that carry the role, and ends them when the member is removed', async () => {
    const account = await createAccount('Sessions');
    await eventually(async () => ((await call('GET', `/v1/accounts/${account.id}`, bearer(account.key))).status === 200 ? true : undefined));
    const session = await call('POST', '/v1/sessions', bearer(account.key), { memberId: account.agent });
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ accountId: account.id, memberId: account.agent, role: 'agent' });
    const agent = bearer(session.body['token'] as string);

    const seen = await call('GET', `/v1/accounts/${account.id}`, agent);
    expect(seen.status).toBe(200);
    expect(seen.body['identitySecret']).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain('twilio-secret-token');
    expect((await call('PATCH', `/v1/accounts/${account.id}`, agent, { name: 'Taken over' })).status).toBe(403);
    expect((await call('POST', `/v1/accounts/${account.id}/api-keys`, agent, { name: 'mine' })).status).toBe(403);
    expect((await call('POST', '/v1/sessions', agent, { memberId: account.admin })).status).toBe(403);
    expect((await call('POST', '/v1/sessions', agent, {})).status).toBe(201); // renewing their own

    expect((await call('DELETE', `/v1/accounts/${account.id}/members/${account.agent}`, bearer(account.key))).status).toBe(204);
    await awaitEvent(run.js, run.naming(), MemberRemovedEvent, (e) => e.memberId === account.agent);
    await eventually(async () => ((await call('GET', `/v1/accounts/${account.id}`, agent)).status === 401 ? true : undefined),
      10_000, 'the removed member\'s session to be refused');
    expect((await call('POST', '/v1/sessions', bearer(account.key), { memberId: account.agent })).status).toBe(404);
  });

  it('refuses missing, forged, expired and malformed credentials with 401', async () => {
    const account = await createAccount('Guarded');
    const expired = testToken({ accountId: account.id, memberId: account.admin }, -10);
    const valid = testToken({ accountId: account.id, memberId: account.admin });
    const [head, payload, signature] = valid.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin', acc: randomUUID() })).toString('base64url');
    for (const headers of [
      {}, bearer(''), bearer('nonsense'), bearer(expired), bearer(`${head}.${forgedPayload}.${signature}`),
      bearer(`llk_${'A'.repeat(43)}`), { authorization: valid }, { 'x-account-id': account.id },
    ]) {
      expect((await call('GET', `/v1/accounts/${account.id}`, headers as Record<string, string>)).status).toBe(401);
    }
    expect((await call('GET', `/v1/accounts/${account.id}`, bearer(valid))).status).toBe(200);
  });

  it('answers 404 for another account\'s account, members and keys, and changes nothing', async () => {
    const a = await createAccount('Alpha');
    const b = await createAccount('Bravo');
    const asB = systemHeaders(b.id);
    const before = await run.query(`SELECT * FROM ${run.schema('accounts')}.members WHERE account_id = $1 ORDER BY id`, [a.id]);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/accounts/${a.id}`], ['PATCH', `/v1/accounts/${a.id}`, { name: 'Mine now' }],
      ['PUT', `/v1/accounts/${a.id}/channels`, { channels: [] }], ['GET', `/v1/accounts/${a.id}/members`],
      ['POST', `/v1/accounts/${a.id}/members`, { email: 'mole@bravo.example', name: 'Mole' }],
      ['PATCH', `/v1/accounts/${a.id}/members/${a.agent}`, { role: 'admin' }],
      ['DELETE', `/v1/accounts/${a.id}/members/${a.agent}`], ['GET', `/v1/accounts/${a.id}/api-keys`],
      ['POST', `/v1/accounts/${a.id}/api-keys`, { name: 'mole' }],
      ['PATCH', `/v1/accounts/${b.id}/members/${a.agent}`, { role: 'admin' }],
      ['DELETE', `/v1/accounts/${b.id}/members/${a.agent}`],
    ];
    for (const [method, path, body] of attempts) expect([method, path, (await call(method, path, asB, body)).status]).toEqual([method, path, 404]);
    expect((await call('POST', '/v1/sessions', asB, { memberId: a.admin })).status).toBe(404);
    const after = await run.query(`SELECT * FROM ${run.schema('accounts')}.members WHERE account_id = $1 ORDER BY id`, [a.id]);
    expect(after).toEqual(before);
    const [account] = await run.query(`SELECT name, version FROM ${run.schema('accounts')}.accounts WHERE id = $1`, [a.id]);
    expect(account).toEqual({ name: 'Alpha', version: 1 });
  });
});
