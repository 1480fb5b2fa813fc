import {
  ConversationClosedEvent, ConversationIdleEvent, ConversationReopenedEvent, MessageReceivedEvent, validateEvent,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';
import { signIdentityToken } from './identity-token';

/** Messages (and sessions) one device may send per minute in this test: each request must take one token only. */
const DEVICE_LIMIT = 6;

describe('web chat', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let widgetKey: string;
  let account: ReturnType<typeof anAccount>;
  /** An account whose idle window outlasts the test: its conversations keep their idle deadline. */
  let calmWidgetKey: string;

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startIngestion(run, { RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE: String(DEVICE_LIMIT) }));
    widgetKey = `widget-${run.prefix}`;
    account = anAccount(run, { channels: [aChannel('webchat', widgetKey)] });
    await announceAccount(run, account);
    calmWidgetKey = `calm-widget-${run.prefix}`;
    await announceAccount(run, anAccount(run, { idleWindowSeconds: 3600, channels: [aChannel('webchat', calmWidgetKey)] }));
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}) => send(`${url}${path}`, { json, headers });

  it('stores a message exactly once: a repeated client message id is acknowledged and changes nothing', async () => {
    const deviceId = randomUUID();
    const first = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'm1', text: 'Hi there' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false });
    const [before] = await ingestionRows<{ last_activity_at: Date; idle_deadline: Date }>(run,
      'SELECT last_activity_at, idle_deadline FROM ingestion.conversations WHERE id = $1', [first.body['conversationId']]);
    const again = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'm1', text: 'Hi there' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ conversationId: first.body['conversationId'], messageId: first.body['messageId'], duplicate: true });
    const messages = await ingestionRows(run, 'SELECT id FROM ingestion.messages WHERE conversation_id = $1', [first.body['conversationId']]);
    expect(messages).toHaveLength(1);
    const [after] = await ingestionRows<{ last_activity_at: Date; idle_deadline: Date }>(run,
      'SELECT last_activity_at, idle_deadline FROM ingestion.conversations WHERE id = $1', [first.body['conversationId']]);
    expect(after).toEqual(before);
    const received = await collectEvents(run.js, run.naming(), MessageReceivedEvent,
      (e) => e.conversationId === first.body['conversationId'], 1);
    expect(received[0]!.data).toEqual({
      accountId: account.accountId, conversationId: first.body['conversationId'], messageId: first.body['messageId'],
      channel: 'webchat', author: 'visitor', text: 'Hi there', sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // Built by the store statement in SQL: it must satisfy the contract its consumers check.
    expect(() => validateEvent(MessageReceivedEvent, received[0]!.data)).not.toThrow();
  });

  it('verifies the identity token and carries the verified external user id in the idle event', async () => {
    const deviceId = randomUUID();
    const identityToken = signIdentityToken(account.identitySecret, 'user-42');
    const sent = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'm1', text: 'I am Jane', userId: 'user-42', identityToken });
    expect(sent.status).toBe(202);
    const idle = await awaitEvent(run.js, run.naming(), ConversationIdleEvent, (e) => e.conversationId === sent.body['conversationId']);
    expect(idle.data.identifiers).toEqual(expect.arrayContaining([
      { kind: 'device', value: deviceId, verified: false },
      { kind: 'external_user', value: 'user-42', verified: true },
    ]));
    expect(idle.data).toMatchObject({
      cycle: 1, channel: 'webchat', contactId: null, defaultRegion: 'US', newMessageIds: [sent.body['messageId']],
      capture: { captureLeads: true, fields: ['firstName', 'lastName', 'email', 'phone'] },
      transcript: [{ messageId: sent.body['messageId'], author: 'visitor', text: 'I am Jane', sentAt: expect.any(String) }],
    });
  });

  it('refuses a wrong identity token with 403 and stores nothing', async () => {
    const deviceId = randomUUID();
    const forged = signIdentityToken('not-the-accounts-secret', 'user-42');
    const sent = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'm1', text: 'hi', userId: 'user-42', identityToken: forged });
    expect(sent.status).toBe(403);
    expect(await ingestionRows(run, 'SELECT id FROM ingestion.conversations WHERE visitor_key = $1', [deviceId])).toEqual([]);
  });

  it('answers 400 naming each bad field, 404 for an unknown widget, 413 for an oversized body', async () => {
    const bad = await post('/v1/webchat/messages', { widgetKey, deviceId: 'not-a-uuid', clientMessageId: '', text: 'x', userId: 'u' });
    expect(bad.status).toBe(400);
    const fields = (bad.body['fields'] as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['clientMessageId', 'deviceId', 'identityToken']);
    const unknown = await post('/v1/webchat/messages', { widgetKey: 'no-such-widget', deviceId: randomUUID(), clientMessageId: 'm', text: 'x' });
    expect(unknown.status).toBe(404);
    const huge = await post('/v1/webchat/messages', { widgetKey, deviceId: randomUUID(), clientMessageId: 'm', text: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('lets a visitor session read only its own conversation, and a shutdown leaves nothing for the next person', async () => {
    const deviceId = randomUUID();
    const other = randomUUID();
    await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'a1', text: 'My email is jane@example.com' });
    await post('/v1/webchat/messages', { widgetKey, deviceId: other, clientMessageId: 'b1', text: 'Someone else' });
    const session = await post('/v1/webchat/sessions', { widgetKey, deviceId });
    expect(session.status).toBe(201);
    const headers = { 'x-visitor-session': session.body['sessionToken'] as string };

    const mine = await send<{ conversationId: string; messages: { text: string }[] }>(`${url}/v1/webchat/conversation`, { headers });
    expect(mine.status).toBe(200);
    expect(mine.body.messages.map((m) => m.text)).toEqual(['My email is jane@example.com']);
    expect((await send(`${url}/v1/webchat/conversation`)).status).toBe(401);
    expect((await send(`${url}/v1/webchat/conversation`, { headers: { 'x-visitor-session': 'guess' } })).status).toBe(401);
    // The session opens nothing else: not the other visitor's conversation, not even its own through the inbox API.
    const [otherVisitors] = await ingestionRows<{ id: string }>(run, 'SELECT id FROM ingestion.conversations WHERE visitor_key = $1', [other]);
    for (const id of [otherVisitors!.id, mine.body.conversationId]) {
      expect((await send(`${url}/v1/conversations/${id}`, { headers })).status).toBe(401);
      expect((await send(`${url}/v1/conversations/${id}`, { headers: { authorization: `Bearer ${headers['x-visitor-session']}` } })).status).toBe(401);
    }

    const shutdown = await send(`${url}/v1/webchat/shutdown`, { method: 'POST', headers });
    expect(shutdown.status).toBe(200);
    expect(shutdown.body).toEqual({ endedSessions: 1, closedConversationId: mine.body.conversationId });
    expect((await send(`${url}/v1/webchat/conversation`, { headers })).status).toBe(401);
    const closed = await awaitEvent(run.js, run.naming(), ConversationClosedEvent, (e) => e.conversationId === mine.body.conversationId);
    expect(closed.data.reason).toContain('shut down');

    // The next person on the same browser (same device id) starts afresh and sees nothing of the last one.
    const next = await post('/v1/webchat/sessions', { widgetKey, deviceId });
    const nextHeaders = { 'x-visitor-session': next.body['sessionToken'] as string };
    expect((await send(`${url}/v1/webchat/conversation`, { headers: nextHeaders })).body).toEqual({ conversationId: null, messages: [] });
    const newMessage = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'a2', text: 'Hello, new person here' });
    expect(newMessage.body['conversationId']).not.toBe(mine.body.conversationId);
    const theirs = await send<{ messages: { text: string }[] }>(`${url}/v1/webchat/conversation`, { headers: nextHeaders });
    expect(theirs.body.messages.map((m) => m.text)).toEqual(['Hello, new person here']);
  });

  it('stores a burst of concurrent messages exactly once, however they are grouped into one statement', async () => {
    const devices = Array.from({ length: 8 }, () => randomUUID());
    const sends = devices.flatMap((deviceId) => [1, 2, 3, 4, 1].map((n) => ({ deviceId, clientMessageId: `b${n}` })));
    // The third message of each device signs its visitor in: the conversation gains the verified identifier.
    const signedIn = (deviceId: string, clientMessageId: string) => (clientMessageId === 'b3'
      ? { userId: `user-${deviceId}`, identityToken: signIdentityToken(account.identitySecret, `user-${deviceId}`) } : {});
    const answers = await Promise.all(sends.map(({ deviceId, clientMessageId }) =>
      post('/v1/webchat/messages', { widgetKey: calmWidgetKey, deviceId, clientMessageId, text: `burst ${clientMessageId}`, ...signedIn(deviceId, clientMessageId) })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    for (const deviceId of devices) {
      const mine = answers.filter((_, i) => sends[i]!.deviceId === deviceId);
      // The two sends of b1 raced: exactly one stored it, and both name the same message.
      const firsts = [mine[0]!, mine[4]!];
      expect(firsts.map((a) => a.body['duplicate']).sort()).toEqual([false, true]);
      expect(firsts[0]!.body['messageId']).toBe(firsts[1]!.body['messageId']);
      expect(new Set(mine.map((a) => a.body['conversationId'])).size).toBe(1);
    }
    const conversationIds = [...new Set(answers.map((a) => a.body['conversationId'] as string))];
    expect(conversationIds).toHaveLength(8);
    const perConversation = await ingestionRows<{ n: number }>(run,
      `SELECT count(*)::int AS n FROM ingestion.messages WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`, [conversationIds]);
    expect(perConversation).toEqual(Array.from({ length: 8 }, () => ({ n: 4 })));
    const events = await ingestionRows<{ n: number }>(run,
      `SELECT count(*)::int AS n FROM ingestion.outbox_events WHERE type = 'conversations.v1.message.received' AND ce_subject = ANY($1::text[])`, [conversationIds]);
    expect(events).toEqual([{ n: 32 }]);
    const deadlines = await ingestionRows<{ n: number }>(run,
      `SELECT count(*)::int AS n FROM ingestion.conversations WHERE id = ANY($1::uuid[]) AND idle_deadline IS NOT NULL`, [conversationIds]);
    expect(deadlines).toEqual([{ n: 8 }]);
    const identities = await ingestionRows<{ visitor_key: string; identifiers: unknown[] }>(run,
      'SELECT visitor_key, identifiers FROM ingestion.conversations WHERE id = ANY($1::uuid[])', [conversationIds]);
    for (const { visitor_key: deviceId, identifiers } of identities) {
      expect(identifiers).toHaveLength(2);
      expect(identifiers).toEqual(expect.arrayContaining([
        { kind: 'device', value: deviceId, verified: false }, { kind: 'external_user', value: `user-${deviceId}`, verified: true },
      ]));
    }
  });

  it('reopens a closed conversation once when several messages arrive together', async () => {
    const deviceId = randomUUID();
    const first = await post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: 'r0', text: 'hello' });
    const conversationId = first.body['conversationId'] as string;
    await ingestionRows(run, `UPDATE ingestion.conversations SET status = 'closed', closed_at = now() WHERE id = $1`, [conversationId]);
    const answers = await Promise.all([1, 2, 3].map((n) => post('/v1/webchat/messages', { widgetKey, deviceId, clientMessageId: `r${n}`, text: `again ${n}` })));
    expect(answers.map((a) => a.body['conversationId'])).toEqual([conversationId, conversationId, conversationId]);
    const notes = await ingestionRows(run, `SELECT id FROM ingestion.conversation_events WHERE conversation_id = $1 AND kind = 'reopened'`, [conversationId]);
    expect(notes).toHaveLength(1);
    const reopened = await ingestionRows(run,
      `SELECT id FROM ingestion.outbox_events WHERE type = 'conversations.v1.conversation.reopened' AND ce_subject = $1`, [conversationId]);
    expect(reopened).toHaveLength(1);
    const published = await awaitEvent(run.js, run.naming(), ConversationReopenedEvent, (e) => e.conversationId === conversationId);
    expect(published.data).toEqual({ accountId: account.accountId, conversationId, channel: 'webchat', reopenedAt: expect.any(String) });
    expect(() => validateEvent(ConversationReopenedEvent, published.data)).not.toThrow();
    const [after] = await ingestionRows<{ status: string }>(run, 'SELECT status FROM ingestion.conversations WHERE id = $1', [conversationId]);
    expect(after!.status).toBe('open');
  });

  it('refuses a NUL character as bad input rather than failing to store it', async () => {
    const answer = await post('/v1/webchat/messages', { widgetKey, deviceId: randomUUID(), clientMessageId: 'n', text: 'a\u0000b' });
    expect(answer.status).toBe(400);
    expect((answer.body['fields'] as { field: string }[]).map((f) => f.field)).toEqual([expect.stringMatching(/(^|\.)text$/)]);
  });

  it('limits each device to its rate, one token per message, and stores nothing it refuses', async () => {
    const deviceId = randomUUID();
    const answers: number[] = [];
    for (let n = 1; n <= DEVICE_LIMIT + 1; n += 1) {
      answers.push((await post('/v1/webchat/messages', { widgetKey: calmWidgetKey, deviceId, clientMessageId: `l${n}`, text: `message ${n}` })).status);
    }
    expect(answers).toEqual([...Array.from({ length: DEVICE_LIMIT }, () => 202), 429]);
    const stored = await ingestionRows(run, `SELECT m.id FROM ingestion.messages m JOIN ingestion.conversations c ON c.id = m.conversation_id
      WHERE c.visitor_key = $1`, [deviceId]);
    expect(stored).toHaveLength(DEVICE_LIMIT);
  });
});
