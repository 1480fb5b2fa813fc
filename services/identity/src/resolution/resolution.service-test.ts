import {
  ContactConvertedEvent, ContactCreatedEvent, ContactMatchedEvent, type ContactCreated, type ContactMatched,
} from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
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
    const contactId = await newContact(accountId, { firstName: 'John', lastName: 'Smith', email: 'John@Email.com', phone: '(555) 123-4567' });
    const byEmail = await publishAnalyzed(run, analyzed(accountId, { firstName: 'Johnny', email: 'john@email.com', postalCode: '90210' }));
    expect((await matched(byEmail.conversationId)).data).toMatchObject({ contactId, matchedBy: 'email', duplicateConversation: true, suggestedContactIds: [] });
    const byPhone = await publishAnalyzed(run, analyzed(accountId, { phone: '+1 555 123 4567' }, { channel: 'sms' }));
    expect((await matched(byPhone.conversationId)).data).toMatchObject({ contactId, matchedBy: 'phone' });
    const [row] = await run.query(`SELECT first_name, postal_code FROM ${schema()}.contacts WHERE id = $1`, [contactId]);
    expect(row).toEqual({ first_name: 'John', postal_code: '90210' });
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
