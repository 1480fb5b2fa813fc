import {
  ContactCreatedEvent, ContactErasedEvent, ContactMatchedEvent, ContactsMergedEvent, ContactsUnmergedEvent, ConversationClosedEvent,
  ConversationLinkedEvent, MemberUpsertedEvent, MessageReceivedEvent, validateEvent, type ContactSnapshotDto, type QualificationSignalsDto,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, memberHeaders, publishEvent, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';

interface Page { conversations: { conversationId: string; contactId: string | null; lastMessage: { text: string } | null }[]; nextCursor: string | null }
interface Detail {
  id: string; contactId: string | null; status: string; messages: { author: string; text: string; memberId: string | null }[];
  events: { kind: string; data: Record<string, unknown> }[]; related: { conversationId: string; relation: string }[];
}

const signals: QualificationSignalsDto = { intent: 'high', urgency: 'low', budgetMentioned: false, sizeMentioned: false, contactCompleteness: 0.5 };
const snapshot = (contactId: string): ContactSnapshotDto => ({ contactId, role: 'lead', displayName: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', emails: ['jane@example.com'], phones: [] });

describe('conversations: inbox, linking, closing, merges and erasure', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let accountId: string;
  const widgetKey = `widget-${randomUUID()}`;
  const devices = { a: randomUUID(), b: randomUUID(), c: randomUUID() };
  const conversations: Record<string, string> = {};
  const contactX = randomUUID();
  const contactY = randomUUID();
  const memberId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startIngestion(run));
    const account = anAccount(run, { idleWindowSeconds: 3600, channels: [aChannel('webchat', widgetKey)] });
    accountId = account.accountId;
    await announceAccount(run, account);
    for (const [name, deviceId] of Object.entries(devices)) {
      const sent = await send(`${url}/v1/webchat/messages`, { json: { widgetKey, deviceId, clientMessageId: '1', text: `hello from ${name}` } });
      conversations[name] = sent.body['conversationId'] as string;
    }
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const get = <T>(path: string, account = accountId) => send<T>(`${url}${path}`, { headers: memberHeaders(account) });

  it('links a created contact\'s conversation and keeps a matched duplicate anonymous, linked to the original', async () => {
    await publishEvent(run.js, run.naming(), ContactCreatedEvent, {
      accountId, contactId: contactX, contact: snapshot(contactX), origin: 'conversation', conversationId: conversations['a']!,
      channel: 'webchat', conversationUrl: `http://app/conversations/${conversations['a']}`, summary: 'Jane wants a quote', signals,
      createdAt: new Date(Date.now() - 1000).toISOString(),
    });
    const matched = {
      accountId, contactId: contactX, contact: snapshot(contactX), conversationId: conversations['b']!, channel: 'webchat' as const,
      conversationUrl: `http://app/conversations/${conversations['b']}`, summary: 'Jane is back about the quote', signals,
      matchedBy: 'email' as const, evidence: [{ kind: 'email' as const, value: 'jane@example.com', verified: false }],
      originalConversationId: conversations['a']!, duplicateConversation: true, suggestedContactIds: [], matchedAt: new Date().toISOString(),
    };
    await publishEvent(run.js, run.naming(), ContactMatchedEvent, matched);
    const linked = await awaitEvent(run.js, run.naming(), ConversationLinkedEvent, (e) => e.conversationId === conversations['b']);
    expect(linked.data).toMatchObject({ duplicate: true, originalConversationId: conversations['a'] });
    await awaitEvent(run.js, run.naming(), ConversationLinkedEvent, (e) => e.conversationId === conversations['a']);
    // The same verdict once more, under another event id: handled, and it adds no second note.
    const repeat = await publishEvent(run.js, run.naming(), ContactMatchedEvent, matched);
    await eventually(async () => ((await ingestionRows(run, 'SELECT 1 FROM ingestion.inbox_events WHERE event_id = $1', [repeat])).length > 0 ? true : undefined),
      15_000, 'the repeated verdict to be handled');

    const original = await get<Detail>(`/v1/conversations/${conversations['a']}`);
    expect(original.body.contactId).toBe(contactX);
    expect(original.body.events.map((e) => e.kind)).toEqual(['linked', 'new_conversation']);
    expect(original.body.events[1]!.data).toMatchObject({ title: 'A new conversation has occurred', conversationId: conversations['b'], summary: 'Jane is back about the quote' });
    expect(original.body.related).toEqual([expect.objectContaining({ conversationId: conversations['b'], relation: 'duplicate' })]);
    const duplicate = await get<Detail>(`/v1/conversations/${conversations['b']}`);
    expect(duplicate.body.contactId).toBeNull();
    expect(duplicate.body.related).toEqual([expect.objectContaining({ conversationId: conversations['a'], relation: 'original' })]);
  });

  it('lists the Anonymous section, by contact and by status, newest activity first, page by page', async () => {
    const anonymous = await get<Page>('/v1/conversations?section=anonymous');
    expect(anonymous.body.conversations.map((c) => c.conversationId)).toEqual([conversations['c'], conversations['b']]);
    const byContact = await get<Page>(`/v1/conversations?contactId=${contactX}`);
    expect(byContact.body.conversations.map((c) => c.conversationId)).toEqual([conversations['a']]);

    // New activity on A moves it to the top.
    await send(`${url}/v1/webchat/messages`, { json: { widgetKey, deviceId: devices.a, clientMessageId: '2', text: 'still there?' } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await get<Page>(`/v1/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.conversations.map((c) => c.conversationId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([conversations['a'], conversations['c'], conversations['b']]);
    const first = await get<Page>('/v1/conversations?limit=1');
    expect(first.body.conversations[0]!.lastMessage).toMatchObject({ text: 'still there?' });

    const bad = await get<{ fields: { field: string }[] }>('/v1/conversations?cursor=bm9wZQ&limit=500&status=gone');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.field).sort()).toEqual(['limit', 'status']);
    expect((await get('/v1/conversations?cursor=bm9wZQ')).status).toBe(400);

    const closed = await send(`${url}/v1/conversations/${conversations['c']}/close`, { json: {}, headers: memberHeaders(accountId, { memberId, role: 'agent' }) });
    expect(closed.status).toBe(200);
    await awaitEvent(run.js, run.naming(), ConversationClosedEvent, (e) => e.conversationId === conversations['c']);
    const closedOnes = await get<Page>('/v1/conversations?status=closed');
    expect(closedOnes.body.conversations.map((c) => c.conversationId)).toEqual([conversations['c']]);
  });

  it('stores agent replies with their author and reveals nothing to another account', async () => {
    // The agent is a member of the account (services learn members from accounts' events); another account's is not.
    const strangerId = randomUUID();
    for (const [id, account] of [[memberId, accountId], [strangerId, randomUUID()]] as const) {
      await publishEvent(run.js, run.naming(), MemberUpsertedEvent, {
        accountId: account, memberId: id, email: `${id}@example.org`, name: 'Agent', role: 'agent', active: true,
        salesperson: false, notificationPreference: 'all', version: 1,
      });
    }
    const reply = await eventually(async () => {
      const sent = await send<Record<string, unknown>>(`${url}/v1/conversations/${conversations['a']}/replies`, {
        json: { author: 'agent', memberId, clientMessageId: 'r1', text: 'Yes, how can I help?' }, headers: memberHeaders(accountId),
      });
      return sent.status === 400 ? undefined : sent;
    }, 10_000, 'ingestion to learn the member');
    expect(reply.status).toBe(202);
    const asStranger = await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'agent', memberId: strangerId, clientMessageId: 'r5', text: 'not yours' }, headers: memberHeaders(accountId),
    });
    expect(asStranger.status).toBe(400);
    expect(asStranger.body['fields']).toEqual([{ field: 'memberId', reason: 'is not an active member of this account' }]);
    const asSomeoneElse = await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'agent', memberId, clientMessageId: 'r6', text: 'in your name' }, headers: memberHeaders(accountId, { memberId: randomUUID(), role: 'agent' }),
    });
    expect(asSomeoneElse.status).toBe(403);
    expect(reply.body).toMatchObject({ conversationId: conversations['a'], duplicate: false });
    const received = await awaitEvent(run.js, run.naming(), MessageReceivedEvent, (e) => e.messageId === reply.body['messageId']);
    expect(received.data).toMatchObject({ author: 'agent', memberId, text: 'Yes, how can I help?' });
    // The agent's client retried: acknowledged, stored once.
    const again = await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'agent', memberId, clientMessageId: 'r1', text: 'Yes, how can I help?' }, headers: memberHeaders(accountId),
    });
    expect(again.body).toEqual({ conversationId: conversations['a'], messageId: reply.body['messageId'], duplicate: true });
    const noMember = await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'agent', clientMessageId: 'r3', text: 'no member' }, headers: memberHeaders(accountId),
    });
    expect(noMember.status).toBe(400);
    expect((noMember.body['fields'] as { field: string }[]).map((f) => f.field)).toEqual(['memberId']);
    const ai = await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'ai', clientMessageId: 'r4', text: 'Our opening hours are 9 to 5.' }, headers: memberHeaders(accountId),
    });
    expect(ai.status).toBe(202);
    const detail = await get<Detail>(`/v1/conversations/${conversations['a']}`);
    expect(detail.body.messages.map((m) => [m.author, m.text, m.memberId])).toEqual([
      ['visitor', 'hello from a', null], ['visitor', 'still there?', null], ['agent', 'Yes, how can I help?', memberId],
      ['ai', 'Our opening hours are 9 to 5.', null],
    ]);
    const otherAccount = randomUUID();
    expect((await get(`/v1/conversations/${conversations['a']}`, otherAccount)).status).toBe(404);
    expect((await send(`${url}/v1/conversations/${conversations['a']}/replies`, {
      json: { author: 'ai', clientMessageId: 'r2', text: 'sneaky' }, headers: memberHeaders(otherAccount),
    })).status).toBe(404);
    expect((await get<Page>('/v1/conversations', otherAccount)).body.conversations).toEqual([]);
  });

  it('stores a burst of replies to several conversations together, each once, with a valid event', async () => {
    const before = await ingestionRows<{ id: string; last_activity_at: Date }>(run,
      'SELECT id, last_activity_at FROM ingestion.conversations WHERE id = ANY($1::uuid[])', [[conversations['b'], conversations['c']]]);
    const missing = randomUUID();
    const replies = [
      ...['b', 'c'].flatMap((name) => Array.from({ length: 8 }, (_, i) => ({ name, clientMessageId: `burst-${i}`, text: `${name} answer ${i}` }))),
      { name: 'b', clientMessageId: 'burst-0', text: 'b answer 0' }, // the same reply twice in one burst
    ];
    const sent = await Promise.all([
      ...replies.map((r) => send<Record<string, unknown>>(`${url}/v1/conversations/${conversations[r.name]}/replies`, {
        json: { author: 'ai', clientMessageId: r.clientMessageId, text: r.text }, headers: memberHeaders(accountId),
      })),
      send(`${url}/v1/conversations/${missing}/replies`, {
        json: { author: 'ai', clientMessageId: 'burst-0', text: 'nobody is here' }, headers: memberHeaders(accountId),
      }),
    ]);

    expect(sent.map((reply) => reply.status)).toEqual([...replies.map(() => 202), 404]);
    const bFirst = sent.filter((_reply, i) => replies[i]?.name === 'b' && replies[i]?.clientMessageId === 'burst-0');
    expect(bFirst.map((reply) => reply.body['duplicate']).sort()).toEqual([false, true]);
    expect(new Set(bFirst.map((reply) => reply.body['messageId'])).size).toBe(1);
    const stored = await ingestionRows<{ conversation_id: string; n: string }>(run,
      `SELECT conversation_id, count(*) AS n FROM ingestion.messages WHERE provider_message_id LIKE 'reply:%:burst-%' GROUP BY conversation_id`);
    expect(Object.fromEntries(stored.map((row) => [row.conversation_id, Number(row.n)])))
      .toEqual({ [conversations['b']!]: 8, [conversations['c']!]: 8 });

    const events = await collectEvents(run.js, run.naming(), MessageReceivedEvent, (e) => e.text.includes(' answer '), 16);
    for (const event of events) {
      const data = validateEvent(MessageReceivedEvent, event.data);
      expect(data).toMatchObject({ accountId, author: 'ai', channel: 'webchat' });
      expect(data).not.toHaveProperty('memberId');
      expect(data.conversationId).toBe(conversations[data.text.slice(0, 1)]);
    }
    const after = await ingestionRows<{ id: string; last_activity_at: Date }>(run,
      'SELECT id, last_activity_at FROM ingestion.conversations WHERE id = ANY($1::uuid[])', [[conversations['b'], conversations['c']]]);
    for (const row of after) {
      expect(row.last_activity_at.getTime()).toBeGreaterThan(before.find((b) => b.id === row.id)!.last_activity_at.getTime());
    }
  });

  it('re-points conversations of a merged contact to the survivor', async () => {
    await publishEvent(run.js, run.naming(), ContactsMergedEvent, {
      accountId, mergeId: randomUUID(), survivorContactId: contactY, mergedContactId: contactX, survivor: snapshot(contactY),
      mergedAt: new Date().toISOString(),
    });
    await eventually(async () => {
      const page = await get<Page>(`/v1/conversations?contactId=${contactY}`);
      return page.body.conversations.length === 1 ? true : undefined;
    }, 15_000, 'the merge to re-point the conversation');
    expect((await get<Page>(`/v1/conversations?contactId=${contactX}`)).body.conversations).toEqual([]);
  });

  it('points the named conversations back when a merge is undone', async () => {
    const mergeId = randomUUID();
    await publishEvent(run.js, run.naming(), ContactsUnmergedEvent, {
      accountId, mergeId, survivorContactId: contactY, restoredContactId: contactX, survivor: snapshot(contactY),
      restored: snapshot(contactX), conversationIds: [conversations['a']!], unmergedAt: new Date().toISOString(),
    });
    await eventually(async () => ((await get<Page>(`/v1/conversations?contactId=${contactX}`)).body.conversations.length === 1 ? true : undefined),
      15_000, 'the undone merge');
    const detail = await get<Detail>(`/v1/conversations/${conversations['a']}`);
    expect(detail.body.events.map((e) => e.kind).slice(-2)).toEqual(['contact_merged', 'contact_unmerged']);
    // Merged again, for the erasure below.
    await publishEvent(run.js, run.naming(), ContactsMergedEvent, {
      accountId, mergeId: randomUUID(), survivorContactId: contactY, mergedContactId: contactX, survivor: snapshot(contactY),
      mergedAt: new Date().toISOString(),
    });
    await eventually(async () => ((await get<Page>(`/v1/conversations?contactId=${contactY}`)).body.conversations.length === 1 ? true : undefined),
      15_000, 'the second merge');
  });

  it('erases the contact\'s personal data from its conversations and their duplicates', async () => {
    await publishEvent(run.js, run.naming(), ContactErasedEvent, { accountId, contactId: contactY, erasedAt: new Date().toISOString() });
    await eventually(async () => {
      const rows = await ingestionRows<{ text: string }>(run, `SELECT text FROM ingestion.messages WHERE conversation_id = ANY($1::uuid[]) AND text <> '[erased]'`,
        [[conversations['a'], conversations['b']]]);
      return rows.length === 0 ? true : undefined;
    }, 15_000, 'the erasure');
    const rows = await ingestionRows<{ identifiers: unknown[]; visitor_key: string }>(run,
      'SELECT identifiers, visitor_key FROM ingestion.conversations WHERE id = ANY($1::uuid[])', [[conversations['a'], conversations['b']]]);
    expect(rows.every((r) => r.identifiers.length === 0 && r.visitor_key.startsWith('erased:'))).toBe(true);
    const events = await ingestionRows<{ data: unknown }>(run, `SELECT data FROM ingestion.conversation_events WHERE kind = 'new_conversation' AND account_id = $1`, [accountId]);
    expect(events).toEqual([{ data: { erased: true } }]);
    // C was never the contact's: untouched.
    const [c] = await ingestionRows<{ text: string }>(run, 'SELECT text FROM ingestion.messages WHERE conversation_id = $1', [conversations['c']]);
    expect(c!.text).toBe('hello from c');
    // The device's next message starts a new conversation, with none of the erased history.
    const next = await send(`${url}/v1/webchat/messages`, { json: { widgetKey, deviceId: devices.a, clientMessageId: '3', text: 'hi again' } });
    expect(next.body['conversationId']).not.toBe(conversations['a']);
  });
});
