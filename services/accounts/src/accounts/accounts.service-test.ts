import { AccountUpdatedEvent, MemberUpsertedEvent } from '@leadline/contracts';
import { awaitEvent, operatorHeaders, startService, TestRun } from '@leadline/testing';
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
    const outbox = await run.query(`SELECT count(*)::int AS pending FROM ${run.schema('accounts')}.outbox_events WHERE sent_at IS NULL`);
    expect(outbox).toEqual([{ pending: 0 }]);
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

  it('is live and ready once its database and consumers are up', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: true, messaging: true, credentials: true } });
  });
});
