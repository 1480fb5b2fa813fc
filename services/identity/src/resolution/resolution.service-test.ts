import {
  ContactConvertedEvent, ContactCreatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, ConversationAnalyzedEvent,
  type ContactCreated, type ContactMatched, type ContactSummaryCreated,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { identityService } from '../identity.service-definition';
import { analyzed, publishAccount, publishAnalyzed } from './test-events';
import { http } from './test-http';

describe('identity resolution guards, through NATS', () => {
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
  const created = (conversationId: string) =>
    awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.conversationId === conversationId);
  const matched = (conversationId: string) =>
    awaitEvent(run.js, run.naming(), ContactMatchedEvent, (e: ContactMatched) => e.conversationId === conversationId);

  async function account(settings: Parameters<typeof publishAccount>[2] = {}): Promise<string> {
    const accountId = randomUUID();
    await publishAccount(run, accountId, settings);
    await eventually(async () => (await run.query(`SELECT 1 FROM ${schema()}.account_settings WHERE account_id = $1`, [accountId]))[0], 15_000, 'account settings');
    return accountId;
  }

  async function newContact(accountId: string, ...args: Parameters<typeof analyzed> extends [string, ...infer R] ? R : never): Promise<string> {
    const event = await publishAnalyzed(run, analyzed(accountId, ...args));
    return (await created(event.conversationId)).data.contactId;
  }

  async function suggestions(accountId: string) {
    const answer = await http('GET', `${url}/v1/duplicate-suggestions`, undefined, accountId);
    expect(answer.status).toBe(200);
    return answer.body as { contactA: { contactId: string }; contactB: { contactId: string }; source: string; reasons: { field: string; text: string }[] }[];
  }
  const pairOf = (s: { contactA: { contactId: string }; contactB: { contactId: string } }) => [s.contactA.contactId, s.contactB.contactId].sort();

  it('standard: a shared email links, the phone in another format too, and existing fields are never overwritten', async () => {
    const accountId = await account();
    const first = await publishAnalyzed(run, analyzed(accountId, { firstName: 'John', lastName: 'Smith', email: 'John@Email.com', phone: '(555) 123-4567' }));
    const contactId = (await created(first.conversationId)).data.contactId;
    const byEmail = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Johnny', email: 'john@email.com', postalCode: '90210' }));
    expect((await matched(byEmail.conversationId)).data).toMatchObject({
      contactId, matchedBy: 'email', duplicateConversation: true, suggestedContactIds: [],
      evidence: [{ kind: 'email', value: 'john@email.com', verified: false }], originalConversationId: first.conversationId,
      summary: 'Wants a quote for landscaping.', contact: { firstName: 'John', lastName: 'Smith' },
    });
    const byPhone = await publishAnalyzed(run, analyzed(accountId, { phone: '+1 555 123 4567' }, { channel: 'sms' }));
    expect((await matched(byPhone.conversationId)).data).toMatchObject({
      contactId, matchedBy: 'phone', evidence: [{ kind: 'phone', value: '+15551234567' }], originalConversationId: first.conversationId,
    });
    const [row] = await run.query(`SELECT first_name, postal_code FROM ${schema()}.contacts WHERE id = $1`, [contactId]);
    expect(row).toEqual({ first_name: 'John', postal_code: '90210' });
  });

  it('a later idle cycle of a linked conversation fills blanks on the fill list only, keeps the summary and announces it', async () => {
    const accountId = await account();
    const first = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Rita', phone: '555-300-4000' }));
    const contactId = (await created(first.conversationId)).data.contactId;
    const again = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Margarita', lastName: 'Lopez', postalCode: '10001', email: 'rita@example.com' }, {
      conversationId: first.conversationId, cycle: 2, summary: 'Now wants the patio too.', identifiers: first.identifiers,
    }));
    const announced = await awaitEvent(run.js, run.naming(), ContactSummaryCreatedEvent,
      (e: ContactSummaryCreated) => e.conversationId === again.conversationId && e.cycle === 2);
    expect(announced.data).toMatchObject({ contactId, summary: 'Now wants the patio too.', contact: { firstName: 'Rita', lastName: null, postalCode: '10001', emails: [] } });
    const [row] = await run.query(`SELECT first_name, last_name, postal_code FROM ${schema()}.contacts WHERE id = $1`, [contactId]);
    expect(row).toEqual({ first_name: 'Rita', last_name: null, postal_code: '10001' });
    const summaries = await run.query(`SELECT cycle, summary FROM ${schema()}.contact_summaries WHERE contact_id = $1 ORDER BY cycle`, [contactId]);
    expect(summaries).toEqual([{ cycle: 1, summary: 'Wants a quote for landscaping.' }, { cycle: 2, summary: 'Now wants the patio too.' }]);
    // Neither a second contact nor a match for the cycle: the conversation was linked already.
    expect(await run.query(`SELECT id FROM ${schema()}.contacts WHERE account_id = $1`, [accountId])).toEqual([{ id: contactId }]);
    const verdicts = await run.query(`SELECT type FROM ${schema()}.outbox_events WHERE payload->>'conversationId' = $1 ORDER BY id`, [first.conversationId]);
    expect(verdicts.map((v) => v['type'])).toEqual([ContactCreatedEvent.type, ContactSummaryCreatedEvent.type]);
  });

  it('an account\'s own fill list fills those blanks (an email too) and still never overwrites', async () => {
    const accountId = await account({ fillFields: ['lastName', 'email', 'postalCode'] });
    const first = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Sam', phone: '555-300-5000', postalCode: '30301' }));
    const contactId = (await created(first.conversationId)).data.contactId;
    const byPhone = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Samuel', lastName: 'Reed', phone: '5553005000', postalCode: '99999', address: '1 Main St' }));
    expect((await matched(byPhone.conversationId)).data.contact).toMatchObject({ firstName: 'Sam', lastName: 'Reed', postalCode: '30301', address: null });
    // A later cycle of the first conversation gives an email: the contact had none, and email is on this fill list.
    await publishAnalyzed(run, analyzed(accountId, { email: 'Sam@Example.com', lastName: 'Other' }, {
      conversationId: first.conversationId, cycle: 2, identifiers: first.identifiers,
    }));
    const announced = await awaitEvent(run.js, run.naming(), ContactSummaryCreatedEvent,
      (e: ContactSummaryCreated) => e.conversationId === first.conversationId && e.cycle === 2);
    expect(announced.data.contact).toMatchObject({ lastName: 'Reed', emails: ['sam@example.com'] });
    // The next cycle's other email does not join it: the contact has an email now.
    await publishAnalyzed(run, analyzed(accountId, { email: 'sam@work.example' }, { conversationId: first.conversationId, cycle: 3, identifiers: first.identifiers }));
    await awaitEvent(run.js, run.naming(), ContactSummaryCreatedEvent, (e: ContactSummaryCreated) => e.conversationId === first.conversationId && e.cycle === 3);
    const emails = await run.query(`SELECT value FROM ${schema()}.identifiers WHERE contact_id = $1 AND kind = 'email'`, [contactId]);
    expect(emails).toEqual([{ value: 'sam@example.com' }]);
  });

  it('a snapshot lists the identifiers the contact holds after the write, in stored order, without reading them again', async () => {
    const accountId = await account({ fillFields: ['email', 'phone'] });
    const sent: string[] = [];
    const query = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      sent.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text ?? '');
      return (query as (...a: unknown[]) => never).apply(this, args);
    });
    try {
      const first = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Lee', phone: '555-300-6000' }));
      const contactId = (await created(first.conversationId)).data.contactId;
      // Matched by phone, bringing an email the contact lacks (on this fill list): held before, and written now.
      const second = await publishAnalyzed(run, analyzed(accountId, { phone: '5553006000', email: 'Lee@Example.com' }));
      expect((await matched(second.conversationId)).data.contact).toMatchObject({ contactId, emails: ['lee@example.com'], phones: ['+15553006000'] });
      const third = await publishAnalyzed(run, analyzed(accountId, { email: 'lee@example.com', phone: '555-300-7000' }));
      const stored = await run.query<{ kind: string; value: string }>(
        `SELECT kind, value FROM ${schema()}.identifiers WHERE contact_id = $1 ORDER BY created_at, id`, [contactId]);
      const snapshot = (await matched(third.conversationId)).data.contact;
      expect(snapshot.emails).toEqual(stored.filter((i) => i.kind === 'email').map((i) => i.value));
      expect(snapshot.phones).toEqual(stored.filter((i) => i.kind === 'phone').map((i) => i.value));
      // Read twice: before each match's write, for what the fill list may add (email and phone are on it here); no
      // snapshot read them again (that was once more per resolution).
      expect(sent.filter((text) => text.startsWith('SELECT kind, value FROM identifiers WHERE contact_id'))).toHaveLength(2);
      // Each conversation's link and summary went with the identifiers, in the same statement.
      const links = sent.filter((text) => text.includes('INSERT INTO conversation_links'));
      expect(links).toHaveLength(3);
      expect(links.every((text) => text.includes('INSERT INTO identifiers') && text.includes('INSERT INTO contact_summaries'))).toBe(true);
      const linked = await run.query(`SELECT l.conversation_id, l.duplicate, s.summary FROM ${schema()}.conversation_links l
        JOIN ${schema()}.contact_summaries s ON s.conversation_id = l.conversation_id WHERE l.contact_id = $1 ORDER BY l.created_at`, [contactId]);
      expect(linked).toEqual([first, second, third].map((c, n) => ({ conversation_id: c.conversationId, duplicate: n > 0, summary: c.summary })));
    } finally {
      spy.mockRestore();
    }
  });

  it('a match keeps the visitor\'s device, and a captured email or phone only as a blank field on the fill list', async () => {
    const identifiersOf = async (contactId: string) =>
      (await run.query<{ kind: string; value: string }>(`SELECT kind, value FROM ${schema()}.identifiers WHERE contact_id = $1 ORDER BY kind, value`, [contactId]))
        .map((i) => `${i.kind}:${i.value}`);
    const standard = await account();
    const first = await publishAnalyzed(run, analyzed(standard, { email: 'ivy@example.com' }));
    const ivy = (await created(first.conversationId)).data.contactId;
    const second = await publishAnalyzed(run, analyzed(standard, { email: 'ivy@example.com', phone: '555-600-7000' }));
    expect((await matched(second.conversationId)).data.contact.phones).toEqual([]);
    expect(await identifiersOf(ivy)).toEqual([
      ...[first, second].map((c) => `device:${c.identifiers[0]!.value}`).sort(), 'email:ivy@example.com',
    ]);

    const withPhone = await account({ fillFields: ['postalCode', 'phone'] });
    const one = await publishAnalyzed(run, analyzed(withPhone, { email: 'ned@example.com' }));
    const ned = (await created(one.conversationId)).data.contactId;
    const two = await publishAnalyzed(run, analyzed(withPhone, { email: 'ned@example.com', phone: '555-600-8000' }));
    expect((await matched(two.conversationId)).data.contact.phones).toEqual(['+15556008000']);
    const three = await publishAnalyzed(run, analyzed(withPhone, { email: 'ned@example.com', phone: '555-600-9000' }));
    expect((await matched(three.conversationId)).data.contact).toMatchObject({ contactId: ned, phones: ['+15556008000'] });
  });

  it('a visitor who shared nothing and matches nobody stays anonymous: nothing is created', async () => {
    const accountId = await account();
    const event = analyzed(accountId, {});
    const eventId = await publishEvent(run.js, run.naming(), ConversationAnalyzedEvent, event);
    await eventually(async () => (await run.query(`SELECT 1 FROM ${schema()}.inbox_events WHERE event_id = $1`, [eventId]))[0], 15_000, 'the event to be handled');
    expect(await run.query(`SELECT id FROM ${schema()}.contacts WHERE account_id = $1`, [accountId])).toEqual([]);
    expect(await run.query(`SELECT 1 FROM ${schema()}.conversation_links WHERE conversation_id = $1`, [event.conversationId])).toEqual([]);
    expect(await run.query(`SELECT 1 FROM ${schema()}.outbox_events WHERE payload->>'conversationId' = $1`, [event.conversationId])).toEqual([]);
  });

  it('an email given to a contact through the API while a conversation is resolved is matched, not made a second contact', async () => {
    const accountId = await account();
    const holder = randomUUID();
    const client = new Client({ connectionString: run.databaseUrl });
    await client.connect();
    try {
      // Like POST /v1/contacts: a writer that takes no advisory lock, only the UNIQUE constraint. Not committed yet.
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${schema()}.contacts (id, account_id, first_name) VALUES ($1, $2, 'Hand Made')`, [holder, accountId]);
      await client.query(`INSERT INTO ${schema()}.identifiers (id, account_id, contact_id, kind, value, verified, source)
                          VALUES ($1, $2, $3, 'email', 'racer@example.com', false, 'member')`, [randomUUID(), accountId, holder]);
      const conversation = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Racer', email: 'racer@example.com' }));
      // The resolver saw no holder and now waits on the unique index for this transaction.
      await eventually(async () => (await run.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO identifiers%' AND pid <> $1`,
        [(await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid]))[0], 15_000, 'the resolver to wait on the identifier');
      await client.query('COMMIT');
      expect((await matched(conversation.conversationId)).data).toMatchObject({ contactId: holder, matchedBy: 'email' });
    } finally {
      await client.end();
    }
    expect(await run.query(`SELECT id FROM ${schema()}.contacts WHERE account_id = $1`, [accountId])).toEqual([{ id: holder }]);
  });

  it('conflicting matches never merge: links to the email\'s contact and suggests the phone\'s', async () => {
    const accountId = await account();
    const byEmail = await newContact(accountId, { email: 'ann@example.com' });
    const byPhone = await newContact(accountId, { phone: '555-222-3333' });
    const both = await publishAnalyzed(run, analyzed(accountId, { email: 'ann@example.com', phone: '5552223333' }));
    expect((await matched(both.conversationId)).data).toMatchObject({ contactId: byEmail, matchedBy: 'email', suggestedContactIds: [byPhone] });
    const [phoneOwner] = await run.query(`SELECT contact_id FROM ${schema()}.identifiers WHERE account_id = $1 AND kind = 'phone'`, [accountId]);
    expect(phoneOwner).toEqual({ contact_id: byPhone });
    const listed = await suggestions(accountId);
    expect(listed.map(pairOf)).toEqual([[byEmail, byPhone].sort()]);
    expect(listed[0]).toMatchObject({ source: 'resolution', reasons: [expect.objectContaining({ field: 'phone', text: expect.stringContaining('+15552223333') })] });
  });

  it('strict: an unverified claim of a verified email becomes a new lead plus a duplicate suggestion', async () => {
    const accountId = await account({ matchingPolicy: 'strict' });
    const sender = await newContact(accountId, { firstName: 'Jo' }, { channel: 'email', identifiers: [{ kind: 'email', value: 'jo@example.com', verified: true }] });
    const claim = await publishAnalyzed(run, analyzed(accountId, { email: 'jo@example.com' }));
    const lead = (await created(claim.conversationId)).data.contactId;
    expect(lead).not.toBe(sender);
    const listed = await suggestions(accountId);
    expect(listed.map(pairOf)).toEqual([[sender, lead].sort()]);
    expect(listed[0]!.reasons[0]!.text).toMatch(/strict policy/);
    // A verified claim of the verified email links.
    const verified = await publishAnalyzed(run, analyzed(accountId, {}, { channel: 'email', identifiers: [{ kind: 'email', value: 'JO@example.com', verified: true }] }));
    expect((await matched(verified.conversationId)).data.contactId).toBe(sender);
  });

  it('never links across two external users, even on the same browser', async () => {
    const accountId = await account();
    const device = randomUUID();
    const first = await newContact(accountId, { email: 'one@example.com' }, {
      identifiers: [{ kind: 'device', value: device, verified: false }, { kind: 'external_user', value: 'user-1', verified: true }],
    });
    const second = await publishAnalyzed(run, analyzed(accountId, { email: 'two@example.com' }, {
      identifiers: [{ kind: 'device', value: device, verified: false }, { kind: 'external_user', value: 'user-2', verified: true }],
    }));
    expect((await created(second.conversationId)).data.contactId).not.toBe(first);
    // Not signed in on that browser: the device still finds the last user.
    const anonymous = await publishAnalyzed(run, analyzed(accountId, {}, { identifiers: [{ kind: 'device', value: device, verified: false }] }));
    expect((await matched(anonymous.conversationId)).data.contactId).toBe(first);
    // Someone else signs in during that conversation: its next cycle never gives the contact a second user id.
    await publishAnalyzed(run, analyzed(accountId, {}, {
      conversationId: anonymous.conversationId, cycle: 2,
      identifiers: [{ kind: 'device', value: device, verified: false }, { kind: 'external_user', value: 'user-3', verified: true }],
    }));
    const cycle2 = await awaitEvent(run.js, run.naming(), ContactSummaryCreatedEvent,
      (e: ContactSummaryCreated) => e.conversationId === anonymous.conversationId && e.cycle === 2);
    expect(cycle2.data.contactId).toBe(first);
    const users = await run.query(`SELECT value FROM ${schema()}.identifiers WHERE account_id = $1 AND kind = 'external_user' ORDER BY value`, [accountId]);
    expect(users).toEqual([{ value: 'user-1' }, { value: 'user-2' }]);
    const [holder] = await run.query(`SELECT contact_id FROM ${schema()}.identifiers WHERE account_id = $1 AND value = 'user-1'`, [accountId]);
    expect(holder).toEqual({ contact_id: first });
  });

  it('an identifier claimed by more contacts than the account\'s limit stops linking by itself', async () => {
    const accountId = await account({ sharedIdentifierLimit: 1 });
    const office = '555-000-1111';
    const bea = await newContact(accountId, { email: 'bea@office.example' });
    const al = await newContact(accountId, { email: 'al@office.example', phone: office });
    // Bea gives the office phone too: her email links her, and the phone is now claimed by two contacts.
    const beaAgain = await publishAnalyzed(run, analyzed(accountId, { email: 'bea@office.example', phone: office }));
    expect((await matched(beaAgain.conversationId)).data).toMatchObject({ contactId: bea, suggestedContactIds: [al] });
    // Cy calls from the office phone with a new email: the shared phone alone no longer links him to Al.
    const cy = await publishAnalyzed(run, analyzed(accountId, { email: 'cy@office.example', phone: office }));
    const cyContact = (await created(cy.conversationId)).data.contactId;
    expect([bea, al]).not.toContain(cyContact);
    const pairs = (await suggestions(accountId)).map(pairOf);
    expect(pairs).toEqual([[al, bea].sort()]);
  });

  it('a verified external user from web chat converts the contact; a phone call never does', async () => {
    const accountId = await account();
    const caller = await newContact(accountId, { firstName: 'Vic' }, { channel: 'voice', identifiers: [{ kind: 'phone', value: '+15557778888', verified: true }] });
    const again = await publishAnalyzed(run, analyzed(accountId, {}, {
      channel: 'voice', identifiers: [{ kind: 'phone', value: '+15557778888', verified: true }, { kind: 'external_user', value: 'vic', verified: true }],
    }));
    expect((await matched(again.conversationId)).data.contact.role).toBe('lead');
    const signedIn = await publishAnalyzed(run, analyzed(accountId, { phone: '555 777 8888' }, {
      identifiers: [{ kind: 'device', value: randomUUID(), verified: false }, { kind: 'external_user', value: 'vic', verified: true }],
    }));
    expect((await matched(signedIn.conversationId)).data).toMatchObject({ contactId: caller, contact: { role: 'user' } });
    const converted = await collectEvents(run.js, run.naming(), ContactConvertedEvent, (e) => e.accountId === accountId, 1);
    expect(converted[0]!.data).toMatchObject({ contactId: caller, externalUserId: 'vic' });
    const [row] = await run.query(`SELECT role FROM ${schema()}.contacts WHERE id = $1`, [caller]);
    expect(row).toEqual({ role: 'user' });
  });
});
