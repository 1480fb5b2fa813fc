import {
  AccountUpdatedEvent, ContactErasedEvent, ContactMatchedEvent, ContactsMergedEvent, ContactSummaryCreatedEvent,
  ConversationReopenedEvent, LeadCreatedEvent, MemberUpsertedEvent, MessageReceivedEvent,
} from '@leadline/contracts';
import { runBatchStatement } from '@leadline/messaging';
import { memberHeaders, publishEvent, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ConversationMessages } from '../followers/conversation-messages';
import { LeadNotifier } from './lead-notifier';
import { readMessageBatch } from '../followers/message-batch';
import { notificationsService } from '../notifications.service-definition';
import {
  api, APP_URL, contactMatched, contactSnapshot, handled, leadCreated, messageReceived, notificationsOf, seedAccount,
  summaryCreated, type SeededMember,
} from '../test-support/fixtures';

/** Runs work in a transaction and answers the statements it sent to PostgreSQL, prepared ones included. */
async function countStatements(dataSource: DataSource, work: (tx: EntityManager) => Promise<void>): Promise<string[]> {
  const sent: string[] = [];
  await dataSource.transaction(async (tx) => {
    const client = (await tx.queryRunner!.connect()) as { query: (config: unknown, ...rest: unknown[]) => unknown };
    const query = client.query;
    client.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
      sent.push(typeof config === 'string' ? config : (config as { text: string }).text);
      return query.call(this, config, ...rest);
    };
    try {
      await work(tx);
    } finally {
      client.query = query;
    }
  });
  return sent;
}

describe('notifications: who is told what', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let accountId: string;
  let ann: SeededMember; // admin, All events
  let bob: SeededMember; // agent, Only my events
  let cara: SeededMember; // agent, Only my events, the salesperson
  let dan: SeededMember; // agent, off
  let eve: SeededMember; // All events, inactive

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, notificationsService, { PUBLIC_APP_URL: APP_URL }));
    const seeded = await seedAccount(run, [
      { name: 'Ann', preference: 'all', role: 'admin' }, { name: 'Bob', preference: 'mine' },
      { name: 'Cara', preference: 'mine', salesperson: true }, { name: 'Dan', preference: 'off' },
      { name: 'Eve', preference: 'all', active: false },
    ]);
    accountId = seeded.accountId;
    [ann, bob, cara, dan, eve] = seeded.members as [SeededMember, SeededMember, SeededMember, SeededMember, SeededMember];
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const publish = <T extends object>(definition: Parameters<typeof publishEvent<T>>[2], data: T) =>
    publishEvent(run.js, run.naming(), definition, data);
  const byMember = (rows: { member_id: string }[]) => rows.map((r) => r.member_id).sort();

  it('tells "All events" members and the salesperson about a New Lead, titled by name with the contact, summary and link', async () => {
    const lead = leadCreated(accountId);
    await handled(run, await publish(LeadCreatedEvent, lead));
    const rows = await notificationsOf(run, accountId, `conversation_id = $2`, 2, [lead.conversationId]);
    expect(rows).toHaveLength(2);
    expect(byMember(rows)).toEqual([ann.memberId, cara.memberId].sort()); // not Bob (follows nothing), Dan (off), Eve (inactive)
    expect(rows[0]).toMatchObject({
      kind: 'new_lead', title: 'New Lead: John Smith',
      body: expect.objectContaining({
        summary: lead.summary, conversationUrl: lead.conversationUrl, channel: 'webchat',
        contact: expect.objectContaining({ firstName: 'John', lastName: 'Smith', emails: ['john@email.com'], postalCode: '80202' }),
      }),
    });
  });

  it('reads and tracks what a New Lead needs in one statement', async () => {
    const lead = leadCreated(accountId);
    const event = { id: randomUUID(), type: LeadCreatedEvent.type, source: 'test', time: lead.createdAt, subject: lead.leadId,
      data: lead, deliveryCount: 1, finalAttempt: false, streamSequence: 0 };
    const statements = await countStatements(app.get(DataSource), (tx) => app.get(LeadNotifier).onLeadCreated(event, tx));
    expect(statements.filter((q) => /tracked_|team_members|local_accounts|webhook_endpoints|automation_rules/.test(q))).toHaveLength(1);
    const told = await run.query<{ member_id: string }>(`SELECT member_id FROM ${run.schema('notifications')}.notifications
      WHERE source_event_id = $1`, [event.id]);
    expect(byMember(told)).toEqual([ann.memberId, cara.memberId].sort());
    const tracked = await run.query(`SELECT l.display_name AS lead, c.display_name AS conversation, c.conversation_url
      FROM ${run.schema('notifications')}.tracked_leads l JOIN ${run.schema('notifications')}.tracked_conversations c
        ON c.conversation_id = l.conversation_id WHERE l.lead_id = $1`, [lead.leadId]);
    expect(tracked).toEqual([{ lead: 'John Smith', conversation: 'John Smith', conversation_url: lead.conversationUrl }]);
  });

  it('shows a matched contact\'s newer details on its leads, reading and tracking the match in one statement', async () => {
    const lead = leadCreated(accountId);
    await handled(run, await publish(LeadCreatedEvent, lead));
    const matched = contactMatched(accountId, {
      contact: contactSnapshot({ contactId: lead.contactId, firstName: 'Johnny', displayName: 'Johnny Smith' }),
      summary: 'Came back to book the visit.', duplicateConversation: false, originalConversationId: null,
    });
    const event = { id: randomUUID(), type: ContactMatchedEvent.type, source: 'test', time: matched.matchedAt, subject: matched.contactId,
      data: matched, deliveryCount: 1, finalAttempt: false, streamSequence: 0 };
    const statements = await countStatements(app.get(DataSource), (tx) => app.get(LeadNotifier).onContactMatched(event, tx));
    expect(statements.filter((q) => /tracked_|team_members|local_accounts|webhook_endpoints|automation_rules/.test(q))).toHaveLength(1);
    const shown = await run.query(`SELECT display_name, summary, contact->>'firstName' AS first_name
      FROM ${run.schema('notifications')}.tracked_leads WHERE lead_id = $1`, [lead.leadId]);
    expect(shown).toEqual([{ display_name: 'Johnny Smith', summary: 'Came back to book the visit.', first_name: 'Johnny' }]);
    const told = await run.query<{ member_id: string; title: string }>(`SELECT member_id, title FROM ${run.schema('notifications')}.notifications
      WHERE source_event_id = $1 ORDER BY member_id`, [event.id]);
    expect(told.map((t) => t.title)).toEqual(told.map(() => 'Conversation Update: Johnny Smith'));
    expect(byMember(told)).toEqual([ann.memberId, cara.memberId].sort());
  });

  it('titles by the email, else the phone, when no name was shared; returning contacts get no New Lead', async () => {
    const byEmail = leadCreated(accountId, { contact: contactSnapshot({ firstName: null, lastName: null, displayName: 'x', emails: ['pat@mail.com'] }) });
    const byPhone = leadCreated(accountId, { contact: contactSnapshot({ firstName: null, lastName: null, emails: [], displayName: 'x' }) });
    const returning = leadCreated(accountId, { reason: 'returning_contact' });
    await publish(LeadCreatedEvent, byEmail);
    await publish(LeadCreatedEvent, byPhone);
    await handled(run, await publish(LeadCreatedEvent, returning));
    const titles = await notificationsOf(run, accountId, `member_id = $2 AND conversation_id = ANY($3::uuid[])`, 2,
      [ann.memberId, [byEmail.conversationId, byPhone.conversationId, returning.conversationId]]);
    expect(titles.map((t) => t.title).sort()).toEqual(['New Lead: +15551234567', 'New Lead: pat@mail.com']);
  });

  it('makes a member who sends a message follow the conversation, and tells followers about inbound messages', async () => {
    const lead = leadCreated(accountId);
    const conversationId = lead.conversationId!;
    await handled(run, await publish(MessageReceivedEvent, messageReceived(accountId, conversationId, { author: 'agent', memberId: bob.memberId, text: 'Hello!' })));
    await publish(LeadCreatedEvent, lead);
    const newLead = await notificationsOf(run, accountId, `conversation_id = $2 AND kind = 'new_lead'`, 3, [conversationId]);
    expect(byMember(newLead)).toEqual([ann.memberId, bob.memberId, cara.memberId].sort()); // Bob follows it now

    await publish(MessageReceivedEvent, messageReceived(accountId, conversationId, { text: 'Can you come on Tuesday?' }));
    const inbox = await notificationsOf(run, accountId, `conversation_id = $2 AND kind = 'inbox_message'`, 2, [conversationId]);
    expect(byMember(inbox)).toEqual([bob.memberId, cara.memberId].sort()); // followers only, "Only my events" included
    expect(inbox[0]).toMatchObject({
      title: 'New Message: John Smith',
      body: expect.objectContaining({
        text: 'Can you come on Tuesday?', conversationUrl: lead.conversationUrl, channel: 'webchat', summary: lead.summary,
        contact: expect.objectContaining({ firstName: 'John', emails: ['john@email.com'], phones: ['+15551234567'] }),
      }),
    });

    // A reopened conversation has no notification of its own: its new inbound message is an inbox notification.
    await publish(ConversationReopenedEvent, { accountId, conversationId, channel: 'webchat', reopenedAt: new Date().toISOString() });
    await publish(MessageReceivedEvent, messageReceived(accountId, conversationId, { text: 'Back again, one more question' }));
    await notificationsOf(run, accountId, `conversation_id = $2 AND kind = 'inbox_message'`, 4, [conversationId]);
    const kinds = await run.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM ${run.schema('notifications')}.notifications
      WHERE conversation_id = $1 GROUP BY kind ORDER BY kind`, [conversationId]);
    expect(kinds).toEqual([{ kind: 'inbox_message', n: 4 }, { kind: 'new_lead', n: 3 }]);

    const followers = await api<{ memberId: string; reason: string; following: boolean }[]>(url, 'GET',
      `/v1/conversations/${conversationId}/followers`, memberHeaders(accountId, { memberId: bob.memberId, role: 'agent' }));
    expect(followers.body).toEqual(expect.arrayContaining([
      expect.objectContaining({ memberId: bob.memberId, following: true, reason: 'sent_message' }),
      expect.objectContaining({ memberId: cara.memberId, following: true, reason: 'salesperson' }),
    ]));

    // Anyone can unfollow: Bob himself, and an admin for the salesperson; an agent cannot for someone else.
    const forbidden = await api(url, 'DELETE', `/v1/conversations/${conversationId}/followers/${cara.memberId}`,
      memberHeaders(accountId, { memberId: bob.memberId, role: 'agent' }));
    expect(forbidden.status).toBe(403);
    expect((await api(url, 'DELETE', `/v1/conversations/${conversationId}/followers/${bob.memberId}`,
      memberHeaders(accountId, { memberId: bob.memberId, role: 'agent' }))).status).toBe(200);
    expect((await api(url, 'DELETE', `/v1/conversations/${conversationId}/followers/${cara.memberId}`,
      memberHeaders(accountId, { memberId: ann.memberId }))).status).toBe(200);
    await handled(run, await publish(MessageReceivedEvent, messageReceived(accountId, conversationId, { text: 'Hello??' })));
    const after = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('notifications')}.notifications
      WHERE conversation_id = $1 AND kind = 'inbox_message'`, [conversationId]);
    expect(after).toEqual([{ n: 4 }]); // nobody follows it any more

    // Following again by hand works; unknown conversations and other accounts' answer 404.
    expect((await api(url, 'PUT', `/v1/conversations/${conversationId}/followers/${dan.memberId}`,
      memberHeaders(accountId, { memberId: dan.memberId, role: 'agent' }))).status).toBe(200);
    expect((await api(url, 'PUT', `/v1/conversations/${randomUUID()}/followers/${dan.memberId}`, systemHeaders(accountId))).status).toBe(404);
    expect((await api(url, 'GET', `/v1/conversations/${conversationId}/followers`, systemHeaders(randomUUID()))).status).toBe(404);
    expect((await api(url, 'PUT', `/v1/conversations/not-a-uuid/followers/${dan.memberId}`, systemHeaders(accountId))).status).toBe(400);
  });

  it('says which conversations were linked in a Conversation Update, and stays silent on later idle cycles', async () => {
    const matched = contactMatched(accountId);
    await publish(ContactMatchedEvent, matched);
    const rows = await notificationsOf(run, accountId, `conversation_id = $2`, 2, [matched.conversationId]);
    expect(byMember(rows)).toEqual([ann.memberId, cara.memberId].sort());
    expect(rows[0]).toMatchObject({
      kind: 'conversation_update', title: 'Conversation Update: John Smith',
      body: expect.objectContaining({
        summary: matched.summary, conversationUrl: matched.conversationUrl, channel: 'sms',
        linkedConversations: [
          { conversationId: matched.originalConversationId, url: `${APP_URL}/conversations/${matched.originalConversationId}` },
          { conversationId: matched.conversationId, url: matched.conversationUrl },
        ],
      }),
    });
    expect(rows[0]!.body.details[0]).toContain(`${APP_URL}/conversations/${matched.originalConversationId}`);

    const later = summaryCreated(accountId, { conversationId: matched.conversationId, contact: matched.contact });
    await handled(run, await publish(ContactSummaryCreatedEvent, later));
    const count = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('notifications')}.notifications WHERE conversation_id = $1`,
      [matched.conversationId]);
    expect(count).toEqual([{ n: 2 }]);
  });

  it('tells a member who follows the conversation and is on "All events" once about each thing', async () => {
    const lead = leadCreated(accountId);
    const conversationId = lead.conversationId!;
    await handled(run, await publish(MessageReceivedEvent, messageReceived(accountId, conversationId,
      { author: 'agent', memberId: ann.memberId, text: 'Ann here, how can I help?' })));
    await handled(run, await publish(LeadCreatedEvent, lead));
    const message = messageReceived(accountId, conversationId, { text: 'I need a quote' });
    await handled(run, await publish(MessageReceivedEvent, message));
    const anns = await run.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM ${run.schema('notifications')}.notifications
      WHERE conversation_id = $1 AND member_id = $2 GROUP BY kind ORDER BY kind`, [conversationId, ann.memberId]);
    expect(anns).toEqual([{ kind: 'inbox_message', n: 1 }, { kind: 'new_lead', n: 1 }]);
  });

  it('tells "Only my events" members who follow the original conversation about a duplicate conversation linked to it', async () => {
    const original = randomUUID();
    await handled(run, await publish(MessageReceivedEvent, messageReceived(accountId, original,
      { author: 'agent', memberId: bob.memberId, text: 'Thanks John, talk soon' })));
    const duplicate = contactMatched(accountId, { originalConversationId: original, duplicateConversation: true });
    await handled(run, await publish(ContactMatchedEvent, duplicate));
    const told = await notificationsOf(run, accountId, `conversation_id = $2`, 3, [duplicate.conversationId]);
    expect(byMember(told)).toEqual([ann.memberId, bob.memberId, cara.memberId].sort()); // Bob follows the original one

    // A match that links no conversation (the contact's own first one) concerns only that conversation.
    const own = contactMatched(accountId, { originalConversationId: original, duplicateConversation: false });
    await handled(run, await publish(ContactMatchedEvent, own));
    const ownTold = await notificationsOf(run, accountId, `conversation_id = $2`, 2, [own.conversationId]);
    expect(byMember(ownTold)).toEqual([ann.memberId, cara.memberId].sort());
    expect(ownTold[0]!.body.details).toEqual(['Matched to John Smith by phone']);
  });

  it('lets a member set their own preference (admins anyone\'s), and keeps it when account events repeat the old one', async () => {
    const agent = memberHeaders(accountId, { memberId: bob.memberId, role: 'agent' });
    const own = await api<{ preference: string }>(url, 'PATCH', `/v1/members/${bob.memberId}/preference`, agent, { preference: 'all' });
    expect(own).toMatchObject({ status: 200, body: { preference: 'all', preferenceSetHere: true } });
    expect((await api(url, 'PATCH', `/v1/members/${dan.memberId}/preference`, agent, { preference: 'all' })).status).toBe(403);
    const bad = await api<{ fields: { field: string }[] }>(url, 'PATCH', `/v1/members/${dan.memberId}/preference`,
      memberHeaders(accountId), { preference: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.field)).toEqual(['preference']);
    expect((await api(url, 'PATCH', `/v1/members/${randomUUID()}/preference`, memberHeaders(accountId), { preference: 'off' })).status).toBe(404);
    expect((await api(url, 'PATCH', `/v1/members/${bob.memberId}/preference`, memberHeaders(randomUUID()), { preference: 'off' })).status).toBe(404);

    await handled(run, await publish(MemberUpsertedEvent, {
      accountId, memberId: bob.memberId, email: bob.email, name: 'Bob Stone', role: 'agent', active: true, salesperson: false,
      notificationPreference: 'mine', version: 2,
    }));
    const member = await api<{ name: string; preference: string }>(url, 'GET', `/v1/members/${bob.memberId}`, agent);
    expect(member.body).toMatchObject({ name: 'Bob Stone', preference: 'all' });

    const lead = leadCreated(accountId);
    await publish(LeadCreatedEvent, lead);
    const rows = await notificationsOf(run, accountId, `conversation_id = $2`, 3, [lead.conversationId]);
    expect(byMember(rows)).toEqual([ann.memberId, bob.memberId, cara.memberId].sort());
  });

  it('lists, counts and marks read a member\'s notifications; an agent only their own', async () => {
    const caraAgent = memberHeaders(accountId, { memberId: cara.memberId, role: 'agent' });
    const mine = await api<{ id: string; memberId: string }[]>(url, 'GET', '/v1/notifications?kind=new_lead', caraAgent);
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(new Set(mine.body.map((n) => n.memberId))).toEqual(new Set([cara.memberId]));
    const before = await api<{ unread: number }>(url, 'GET', `/v1/notifications/unread-count/${cara.memberId}`, caraAgent);
    expect((await api(url, 'POST', `/v1/notifications/${mine.body[0]!.id}/read`, caraAgent)).status).toBe(201);
    const afterRead = await api<{ unread: number }>(url, 'GET', `/v1/notifications/unread-count/${cara.memberId}`, caraAgent);
    expect(afterRead.body.unread).toBe(before.body.unread - 1);
    expect((await api(url, 'GET', `/v1/notifications?memberId=${ann.memberId}`, caraAgent)).status).toBe(403);
    expect((await api(url, 'POST', `/v1/notifications/${mine.body[0]!.id}/read`, systemHeaders(randomUUID()))).status).toBe(404);
    expect((await api(url, 'GET', '/v1/notifications?kind=gossip', caraAgent)).status).toBe(400);
    void eve;
  });

  it('removes an erased contact\'s personal data from stored notifications and re-points merged contacts', async () => {
    const lead = leadCreated(accountId);
    await publish(LeadCreatedEvent, lead);
    await publish(MessageReceivedEvent, messageReceived(accountId, lead.conversationId!, { text: 'My number is 555-123-4567' }));
    await notificationsOf(run, accountId, `conversation_id = $2`, 4, [lead.conversationId]); // 3 New Lead + Cara's inbox one
    await handled(run, await publish(ContactErasedEvent, { accountId, contactId: lead.contactId, erasedAt: new Date().toISOString() }));
    const erased = await run.query<{ title: string; body: Record<string, unknown> }>(
      `SELECT title, body FROM ${run.schema('notifications')}.notifications WHERE conversation_id = $1`, [lead.conversationId]);
    for (const row of erased) {
      expect(JSON.stringify(row)).not.toMatch(/John|Smith|john@email|5551234567|555-123-4567|landscaping/);
      expect(row.title).toMatch(/: erased contact$/);
      expect(row.body).toMatchObject({ erased: true, contact: {}, summary: null });
    }

    const survivor = contactSnapshot({ firstName: 'Jane', lastName: 'Doe' });
    const merged = leadCreated(accountId);
    await publish(LeadCreatedEvent, merged);
    await notificationsOf(run, accountId, `contact_id = $2`, 3, [merged.contactId]);
    await handled(run, await publish(ContactsMergedEvent, {
      accountId, mergeId: randomUUID(), survivorContactId: survivor.contactId, mergedContactId: merged.contactId, survivor,
      mergedAt: new Date().toISOString(),
    }));
    const repointed = await run.query(`SELECT DISTINCT contact_id FROM ${run.schema('notifications')}.notifications WHERE conversation_id = $1`,
      [merged.conversationId]);
    expect(repointed).toEqual([{ contact_id: survivor.contactId }]);
  });

  it('makes a member who becomes the salesperson follow the account\'s conversations, past ones included', async () => {
    const other = await seedAccount(run, [{ name: 'Zed', preference: 'mine' }]);
    const zed = other.members[0]!;
    const past = randomUUID();
    await handled(run, await publish(MessageReceivedEvent, messageReceived(other.accountId, past, { text: 'Anyone there?' })));
    await handled(run, await publish(MemberUpsertedEvent, {
      accountId: other.accountId, memberId: zed.memberId, email: zed.email, name: zed.name, role: 'agent', active: true,
      salesperson: true, notificationPreference: 'mine', version: 2,
    }));
    await handled(run, await publish(MessageReceivedEvent, messageReceived(other.accountId, past, { text: 'Hello?' })));
    const lead = leadCreated(other.accountId, { conversationId: past });
    await handled(run, await publish(LeadCreatedEvent, lead));
    const told = await run.query<{ kind: string; title: string }>(`SELECT kind, title FROM ${run.schema('notifications')}.notifications
      WHERE account_id = $1 AND member_id = $2 ORDER BY kind`, [other.accountId, zed.memberId]);
    expect(told).toEqual([{ kind: 'inbox_message', title: 'New Message: Web Chat visitor' }, { kind: 'new_lead', title: 'New Lead: John Smith' }]);
    const followers = await api<{ memberId: string; reason: string; following: boolean }[]>(url, 'GET',
      `/v1/conversations/${past}/followers`, systemHeaders(other.accountId));
    expect(followers.body).toEqual([expect.objectContaining({ memberId: zed.memberId, following: true, reason: 'salesperson' })]);
  });

  it('handles a batch of messages as it would each alone, reading the batch\'s conversations once', async () => {
    const shop = await seedAccount(run, [{ name: 'Kim', preference: 'mine' }, { name: 'Lou', preference: 'mine', salesperson: true }]);
    const closed = await seedAccount(run, [{ name: 'Sal', preference: 'all', salesperson: true }], { active: false });
    const [kim, lou] = shop.members as [SeededMember, SeededMember];
    const hook = await api(url, 'POST', '/v1/webhooks', systemHeaders(shop.accountId), { url: 'http://127.0.0.1:9/hook', kinds: ['inbox_message'] });
    expect(hook.status).toBe(201);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const batch = [
      messageReceived(shop.accountId, a, { text: 'First question' }),
      messageReceived(shop.accountId, a, { author: 'agent', memberId: kim.memberId, text: 'Kim here' }),
      messageReceived(shop.accountId, a, { text: 'Second question' }),
      messageReceived(shop.accountId, b, { author: 'ai', text: 'How can I help?' }),
      messageReceived(shop.accountId, b, { text: 'Do you deliver?' }),
      messageReceived(closed.accountId, c, { text: 'Hello?' }),
    ].map((data) => ({ id: randomUUID(), type: MessageReceivedEvent.type, source: 'test', time: data.sentAt, subject: data.conversationId,
      data, deliveryCount: 1, finalAttempt: false, streamSequence: 0 }));
    const messages = app.get(ConversationMessages);
    const statements = await countStatements(app.get(DataSource), async (tx) => {
      // As the consumer does: the batch's statement runs (with the inbox claim there), then each message.
      await runBatchStatement(tx, readMessageBatch(batch, tx));
      for (const event of batch) await messages.onMessage(event, tx);
    });

    const told = await run.query<{ conversation_id: string; member_id: string; text: string }>(
      `SELECT conversation_id, member_id, body->>'text' AS text FROM ${run.schema('notifications')}.notifications
       WHERE account_id = ANY($1::uuid[]) ORDER BY conversation_id, body->>'text', member_id`, [[shop.accountId, closed.accountId]]);
    const expected = [
      { conversation_id: a, member_id: lou.memberId, text: 'First question' }, // the salesperson follows everything
      ...[kim.memberId, lou.memberId].sort().map((member_id) => ({ conversation_id: a, member_id, text: 'Second question' })), // Kim wrote in between
      { conversation_id: b, member_id: lou.memberId, text: 'Do you deliver?' },
    ]; // nothing for the closed account, nothing for the AI's turn
    expect(told).toEqual(expected.sort((x, y) => x.conversation_id.localeCompare(y.conversation_id) || x.text.localeCompare(y.text)
      || x.member_id.localeCompare(y.member_id)));
    const webhooks = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('notifications')}.deliveries
      WHERE channel = 'webhook' AND source_event_id = ANY($1::text[])`, [batch.map((e) => e.id)]);
    expect(webhooks).toEqual([{ n: 3 }]); // one per visitor message of the open account
    const tracked = await run.query(`SELECT conversation_id FROM ${run.schema('notifications')}.tracked_conversations
      WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id`, [[a, b, c]]);
    expect(tracked).toEqual([a, b, c].sort().map((conversation_id) => ({ conversation_id })));
    // One read for the batch, one more for conversation a's followers after Kim wrote; per message only what it writes.
    expect(statements.filter((q) => /tracked_conversations|team_members|local_accounts|webhook_endpoints/.test(q))).toHaveLength(2);
  });

  it('tells nobody for an inactive account', async () => {
    const other = await seedAccount(run, [{ name: 'Zed', preference: 'all' }]);
    await handled(run, await publish(AccountUpdatedEvent, {
      accountId: other.accountId, name: 'Closed', domain: 'closed.example', active: false, timeZone: 'UTC', defaultPhoneRegion: 'US',
      idleWindowSeconds: 180, matchingPolicy: 'standard', fillFields: [], sharedIdentifierLimit: 5,
      identitySecret: 'a-long-identity-secret', channels: [], version: 2,
    }));
    await handled(run, await publish(LeadCreatedEvent, leadCreated(other.accountId)));
    const count = await run.query(`SELECT count(*)::int AS n FROM ${run.schema('notifications')}.notifications WHERE account_id = $1`,
      [other.accountId]);
    expect(count).toEqual([{ n: 0 }]);
  });
});
