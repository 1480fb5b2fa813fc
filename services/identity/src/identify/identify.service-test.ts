import {
  ContactConvertedEvent, ContactCreatedEvent, ContactMatchedEvent, type ContactCreated, type ContactMatched,
} from '@leadline/contracts';
import { awaitEvent, eventually, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.service-definition';
import { analyzed, IDENTITY_SECRET, publishAccount, publishAnalyzed } from '../resolution/test-events';
import { http } from '../resolution/test-http';
import { identitySignature } from './identity-signature';

describe('POST /v1/identify: lead to user', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, identityService));
    await publishAccount(run, accountId);
    await eventually(async () => (await run.query(`SELECT 1 FROM ${run.schema('identity')}.account_settings WHERE account_id = $1`, [accountId]))[0]);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const schema = () => run.schema('identity');
  const identify = (body: Record<string, unknown>) => http('POST', `${url}/v1/identify`, body);
  const signed = (userId: string, email?: string, extra: Record<string, unknown> = {}) =>
    identify({ accountId, userId, ...(email ? { email } : {}), signature: identitySignature(IDENTITY_SECRET, userId, email), ...extra });

  it('turns the visitor\'s contact into a user that keeps every conversation, once', async () => {
    const device = randomUUID();
    const first = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Lee', email: 'lee@example.com' }, { identifiers: [{ kind: 'device', value: device, verified: false }] }));
    const contactId = (await awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.conversationId === first.conversationId)).data.contactId;
    const second = await publishAnalyzed(run, analyzed(accountId, {}, { identifiers: [{ kind: 'device', value: device, verified: false }] }));
    await awaitEvent(run.js, run.naming(), ContactMatchedEvent, (e: ContactMatched) => e.conversationId === second.conversationId);

    const answer = await signed('user-77', 'Lee@Example.com', { deviceId: device });
    expect(answer).toMatchObject({ status: 200, body: { contactId, role: 'user', converted: true, created: false } });
    const identifiers = await run.query(`SELECT kind, value, verified FROM ${schema()}.identifiers WHERE contact_id = $1 ORDER BY kind`, [contactId]);
    expect(identifiers).toEqual([
      { kind: 'device', value: device, verified: false },
      { kind: 'email', value: 'lee@example.com', verified: true },
      { kind: 'external_user', value: 'user-77', verified: true },
    ]);
    const conversations = await run.query(`SELECT conversation_id FROM ${schema()}.conversation_links WHERE contact_id = $1`, [contactId]);
    expect(conversations.map((c) => c['conversation_id']).sort()).toEqual([first.conversationId, second.conversationId].sort());
    const converted = await awaitEvent(run.js, run.naming(), ContactConvertedEvent, (e) => e.contactId === contactId);
    expect(converted.data).toMatchObject({ externalUserId: 'user-77', contact: { role: 'user', displayName: 'Lee' } });

    // Again: already a user, nothing more is published.
    expect((await signed('user-77', 'Lee@Example.com', { deviceId: device })).body).toMatchObject({ contactId, converted: false });
    const [count] = await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema()}.outbox_events WHERE type = $1 AND payload->>'contactId' = $2`, [ContactConvertedEvent.type, contactId]);
    expect(count).toEqual({ n: 1 });
  });

  it('answers 401 to an unsigned or badly signed call, and 400 to a malformed one', async () => {
    expect((await identify({ accountId, userId: 'user-1', email: 'a@example.com' })).status).toBe(401);
    const wrongEmail = await identify({ accountId, userId: 'user-1', email: 'eve@example.com', signature: identitySignature(IDENTITY_SECRET, 'user-1', 'a@example.com') });
    expect(wrongEmail.status).toBe(401);
    expect(wrongEmail.body.message).toMatch(/bad signature/);
    expect((await identify({ accountId, userId: 'user-1', signature: identitySignature('not-the-secret-of-the-account', 'user-1') })).status).toBe(401);
    expect((await identify({ accountId: randomUUID(), userId: 'user-1', signature: identitySignature(IDENTITY_SECRET, 'user-1') })).status).toBe(401);
    const malformed = await identify({ accountId, email: 'not-an-email', signature: 'x' });
    expect(malformed.status).toBe(400);
    expect([...new Set(malformed.body.fields.map((f: { field: string }) => f.field))].sort()).toEqual(['email', 'userId']);
    const [row] = await run.query(`SELECT count(*)::int AS n FROM ${schema()}.identifiers WHERE value = 'user-1'`);
    expect(row).toEqual({ n: 0 });
  });

  it('creates a user for someone never seen, and never puts two users on one browser\'s contact', async () => {
    const device = randomUUID();
    const fresh = await signed('user-90', 'ninety@example.com', { deviceId: device });
    expect(fresh.body).toMatchObject({ role: 'user', converted: true, created: true });
    const created = await awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.contactId === fresh.body.contactId);
    expect(created.data).toMatchObject({ origin: 'api', contact: { role: 'user', emails: ['ninety@example.com'] } });

    const sameBrowser = await signed('user-91', undefined, { deviceId: device });
    expect(sameBrowser.body).toMatchObject({ created: true, role: 'user' });
    expect(sameBrowser.body.contactId).not.toBe(fresh.body.contactId);
  });
});
