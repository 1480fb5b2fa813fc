import { AccountUpdatedEvent, MemberRemovedEvent, MemberUpsertedEvent } from '@leadline/contracts';
import { awaitEvent, eventually, memberHeaders, operatorHeaders, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { accountsService } from '../accounts.service-definition';

describe('accounts service', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, accountsService));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  it('creates an account with its channels and team and publishes them', async () => {
    const response = await fetch(`${url}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorHeaders() },
      body: JSON.stringify({
        name: 'Green Gardens', domain: 'greengardens.example',
        channels: [{ kind: 'webchat', address: `widget-${run.prefix}` }],
        members: [{ email: 'ann@greengardens.example', name: 'Ann', role: 'admin', salesperson: true }],
      }),
    });
    expect(response.status).toBe(201);
    const account = (await response.json()) as { id: string; channels: { address: string }[] };

    const updated = await awaitEvent(run.js, run.naming(), AccountUpdatedEvent, (e) => e.accountId === account.id);
    expect(updated.data).toMatchObject({
      name: 'Green Gardens', domain: 'greengardens.example', idleWindowSeconds: 180, matchingPolicy: 'standard',
      fillFields: ['postalCode'], channels: [{ kind: 'webchat', address: `widget-${run.prefix}`, captureLeads: true }],
    });
    expect(updated.headers['ce-source']).toBe('accounts');
    const member = await awaitEvent(run.js, run.naming(), MemberUpsertedEvent, (e) => e.accountId === account.id);
    expect(member.data).toMatchObject({ email: 'ann@greengardens.example', salesperson: true, notificationPreference: 'all' });

    const stored = await run.query(`SELECT name, version FROM ${run.schema('accounts')}.accounts WHERE id = $1`, [account.id]);
    expect(stored).toEqual([{ name: 'Green Gardens', version: 1 }]);
    // Published events are marked sent a moment after their publish (gathered): nothing stays pending.
    const pending = async () => (await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${run.schema('accounts')}.outbox_events WHERE sent_at IS NULL`))[0]!.n;
    await eventually(async () => (await pending()) === 0 || undefined, 5_000, 'every queued event marked sent');
  });

  it('answers 400 naming the field and the reason, and stores nothing', async () => {
    const response = await fetch(`${url}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorHeaders() },
      body: JSON.stringify({ name: 'Bad', domain: 'not a domain', idleWindowSeconds: -1 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: { field: string; reason: string }[] };
    expect(body.fields.map((f) => f.field).sort()).toEqual(['domain', 'idleWindowSeconds']);
    const stored = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('accounts')}.accounts WHERE name = 'Bad'`);
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('refuses to create an account without the operator key', async () => {
    for (const authorization of [undefined, 'Bearer wrong-key', 'Basic abc']) {
      const response = await fetch(`${url}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ name: 'Sneaky', domain: 'sneaky.example' }),
      });
      expect(response.status).toBe(401);
    }
    const stored = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('accounts')}.accounts WHERE name = 'Sneaky'`);
    expect(stored).toEqual([{ n: 0 }]);
  });

  interface Json { [key: string]: unknown }
  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${url}${path}`, {
      method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
  }

  async function anAccount(name: string): Promise<{ id: string; members: Json[] }> {
    const created = await call('POST', '/v1/accounts', operatorHeaders(), {
      name, domain: `${name.toLowerCase()}.example`, channels: [{ kind: 'webchat', address: `widget-${name}-${run.prefix}` }],
      members: [{ email: `agent@${name.toLowerCase()}.example`, name: 'Agent', role: 'agent' }],
    });
    expect(created.status).toBe(201);
    return { id: created.body['id'] as string, members: created.body['members'] as Json[] };
  }

  it('changes every setting of an account and publishes the new state', async () => {
    const { id } = await anAccount('Settings');
    const settings = {
      name: 'Settings & Co', domain: 'settings-co.example', active: false, timeZone: 'Europe/Paris', defaultPhoneRegion: 'GB',
      idleWindowSeconds: 600, matchingPolicy: 'strict', fillFields: ['postalCode', 'address'], sharedIdentifierLimit: 5,
    };
    const changed = await call('PATCH', `/v1/accounts/${id}`, systemHeaders(id), settings);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ ...settings, version: 2 });
    const event = await awaitEvent(run.js, run.naming(), AccountUpdatedEvent, (e) => e.accountId === id && e.version === 2);
    expect(event.data).toMatchObject(settings);
    expect((await call('GET', `/v1/accounts/${id}`, systemHeaders(id))).body).toMatchObject(settings);
  });

  it('replaces the channels: widget keys, SMS numbers with Twilio auth tokens, voice numbers, email addresses, capture on or off and its fields', async () => {
    const { id } = await anAccount('Channels');
    const channels = [
      { kind: 'webchat', address: `widget-shop-${run.prefix}`, captureLeads: true, captureFields: ['firstName', 'email'] },
      { kind: 'sms', address: '+14155550111', authToken: 'twilio-auth-token-1', captureLeads: false, captureFields: [] },
      { kind: 'voice', address: '+14155550112', authToken: 'voice-relay-secret', captureLeads: true, captureFields: ['phone'] },
      { kind: 'email', address: `hello-${run.prefix}@channels.example`, authToken: 'email-relay-secret', captureLeads: true, captureFields: ['email', 'postalCode'] },
    ];
    const replaced = await call('PUT', `/v1/accounts/${id}/channels`, systemHeaders(id), { channels });
    expect(replaced.status).toBe(200);
    const event = await awaitEvent(run.js, run.naming(), AccountUpdatedEvent, (e) => e.accountId === id && e.version === 2);
    expect(event.data.channels).toEqual(channels);
    // Another account cannot take a number or widget key that is in use.
    const other = await anAccount('Taker');
    const taken = await call('PUT', `/v1/accounts/${other.id}/channels`, systemHeaders(other.id), { channels: [channels[1]] });
    expect(taken.status).toBe(409);
  });

  it('answers 400 naming each bad setting or channel, and changes nothing', async () => {
    const { id } = await anAccount('Strict');
    const bad = await call('PATCH', `/v1/accounts/${id}`, systemHeaders(id), {
      timeZone: 'Mars/Olympus_Mons', defaultPhoneRegion: 'ZZ', idleWindowSeconds: 0, matchingPolicy: 'loose', fillFields: ['shoeSize'],
    });
    expect(bad.status).toBe(400);
    expect((bad.body['fields'] as { field: string }[]).map((f) => f.field).sort())
      .toEqual(['defaultPhoneRegion', 'fillFields', 'idleWindowSeconds', 'matchingPolicy', 'timeZone']);
    const channels = await call('PUT', `/v1/accounts/${id}/channels`, systemHeaders(id), { channels: [
      { kind: 'sms', address: '555-0100', authToken: 'twilio-auth-token' },
      { kind: 'sms', address: '+14155550113' },
      { kind: 'email', address: 'not an address', authToken: 'email-relay-secret' },
      { kind: 'webchat', address: 'widget-x', authToken: 'pointless' },
      { kind: 'fax', address: '+14155550114' },
    ] });
    expect(channels.status).toBe(400);
    expect((channels.body['fields'] as { field: string; reason: string }[]).map((f) => `${f.field}: ${f.reason}`).sort()).toEqual([
      'channels.0.address: address must be an E.164 number such as +14155550100 for sms and voice channels',
      'channels.1.authToken: authToken is required for sms, voice and email channels (the Twilio auth token, or the webhook signing secret): 8 to 200 characters',
      'channels.2.address: address must be an email address for an email channel',
      'channels.3.authToken: authToken must not be set for a webchat channel: widgets are not signed',
      expect.stringMatching(/^channels\.4\.kind: /),
    ]);
    const [row] = await run.query(`SELECT version FROM ${run.schema('accounts')}.accounts WHERE id = $1`, [id]);
    expect(row).toEqual({ version: 1 });
  });

  it('rotates the identity secret: a new one, shown to admins, published', async () => {
    const { id } = await anAccount('Rotating');
    const before = (await call('GET', `/v1/accounts/${id}`, systemHeaders(id))).body['identitySecret'];
    const rotated = await call('POST', `/v1/accounts/${id}/identity-secret`, systemHeaders(id));
    expect(rotated.status).toBe(201);
    expect(rotated.body['identitySecret']).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body['identitySecret']).not.toBe(before);
    const event = await awaitEvent(run.js, run.naming(), AccountUpdatedEvent, (e) => e.accountId === id && e.version === 2);
    expect(event.data.identitySecret).toBe(rotated.body['identitySecret']);
    expect((await call('POST', `/v1/accounts/${id}/identity-secret`, memberHeaders(id, { role: 'agent', memberId: '00000000-0000-4000-8000-000000000001' }))).status).toBe(403);
  });

  it('changes a member\'s role, activity, salesperson flag and notification preference, and publishes each change and removal', async () => {
    const { id, members } = await anAccount('Team');
    const memberId = members[0]!['id'] as string;
    const change = { role: 'admin', active: false, salesperson: true, notificationPreference: 'mine' };
    const changed = await call('PATCH', `/v1/accounts/${id}/members/${memberId}`, systemHeaders(id), change);
    expect(changed.status).toBe(200);
    const upserted = await awaitEvent(run.js, run.naming(), MemberUpsertedEvent, (e) => e.memberId === memberId && e.version === 2);
    expect(upserted.data).toMatchObject({ ...change, accountId: id, email: `agent@team.example` });
    const wrong = await call('PATCH', `/v1/accounts/${id}/members/${memberId}`, systemHeaders(id), { role: 'owner', notificationPreference: 'sometimes' });
    expect((wrong.body['fields'] as { field: string }[]).map((f) => f.field).sort()).toEqual(['notificationPreference', 'role']);
    expect((await call('DELETE', `/v1/accounts/${id}/members/${memberId}`, systemHeaders(id))).status).toBe(204);
    await awaitEvent(run.js, run.naming(), MemberRemovedEvent, (e) => e.memberId === memberId && e.accountId === id);
    expect((await call('GET', `/v1/accounts/${id}/members`, systemHeaders(id))).body).toEqual([]);
  });

  it('is live and ready once its database and consumers are up', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: true, messaging: true, credentials: true } });
  });
});
