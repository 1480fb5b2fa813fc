import {
  AccountUpdatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, LeadCreatedEvent, MemberUpsertedEvent,
  MessageReceivedEvent, type Channel, type ContactMatched, type ContactSnapshotDto, type ContactSummaryCreated,
  type LeadCreated, type MemberUpserted, type MessageReceived, type NotificationPreference,
} from '@leadline/contracts';
import { eventually, publishEvent, type TestRun } from '@leadline/testing';
import { randomUUID } from 'node:crypto';

/** Builders and seeding for the notifications service tests: events as the other services publish them. */

export const APP_URL = 'https://app.leadline.test';

export function contactSnapshot(overrides: Partial<ContactSnapshotDto> = {}): ContactSnapshotDto {
  return {
    contactId: randomUUID(), role: 'lead', displayName: 'John Smith', firstName: 'John', lastName: 'Smith',
    emails: ['john@email.com'], phones: ['+15551234567'], address: null, postalCode: '80202', ...overrides,
  };
}

const SIGNALS = {
  intent: 'high', urgency: 'low', budgetMentioned: false, sizeMentioned: true, preferredContact: 'phone', contactCompleteness: 0.8,
} as const;

export function leadCreated(accountId: string, overrides: Partial<LeadCreated> = {}): LeadCreated {
  const contact = overrides.contact ?? contactSnapshot();
  const conversationId = overrides.conversationId ?? randomUUID();
  return {
    accountId, leadId: randomUUID(), contactId: contact.contactId, status: 'new', reason: 'new_contact', contact,
    summary: 'Visitor wants a quote for backyard landscaping.', conversationId,
    conversationUrl: `${APP_URL}/conversations/${conversationId}`, channel: 'webchat', score: 64, previousLeadIds: [],
    createdAt: new Date().toISOString(), ...overrides,
  };
}

export function contactMatched(accountId: string, overrides: Partial<ContactMatched> = {}): ContactMatched {
  const contact = overrides.contact ?? contactSnapshot();
  const conversationId = overrides.conversationId ?? randomUUID();
  return {
    accountId, contactId: contact.contactId, conversationId, channel: 'sms', conversationUrl: `${APP_URL}/conversations/${conversationId}`,
    contact, summary: 'Returning visitor asks about the quote.', signals: { ...SIGNALS }, matchedBy: 'phone',
    evidence: [{ kind: 'phone', value: '+15551234567', verified: false }], originalConversationId: randomUUID(),
    duplicateConversation: true, suggestedContactIds: [], matchedAt: new Date().toISOString(), ...overrides,
  };
}

export function summaryCreated(accountId: string, overrides: Partial<ContactSummaryCreated> = {}): ContactSummaryCreated {
  const contact = overrides.contact ?? contactSnapshot();
  const conversationId = overrides.conversationId ?? randomUUID();
  return {
    accountId, contactId: contact.contactId, conversationId, channel: 'webchat', conversationUrl: `${APP_URL}/conversations/${conversationId}`,
    contact, summary: 'Visitor came back to confirm the appointment.', signals: { ...SIGNALS }, cycle: 2, summaryId: randomUUID(),
    createdAt: new Date().toISOString(), ...overrides,
  };
}

export function messageReceived(accountId: string, conversationId: string, overrides: Partial<MessageReceived> = {}): MessageReceived {
  return {
    accountId, conversationId, messageId: randomUUID(), channel: 'webchat' as Channel, author: 'visitor',
    text: 'Hi, is anyone there?', sentAt: new Date().toISOString(), ...overrides,
  };
}

export interface SeededMember {
  memberId: string;
  email: string;
  name: string;
}

/** Publishes the account and its members as the accounts service does, and waits until notifications holds them. */
export async function seedAccount(run: TestRun, members: { name: string; preference: NotificationPreference; salesperson?: boolean;
  role?: 'admin' | 'agent'; active?: boolean }[], options: { domain?: string; active?: boolean } = {}): Promise<{ accountId: string; members: SeededMember[] }> {
  const accountId = randomUUID();
  await publishEvent(run.js, run.naming(), AccountUpdatedEvent, {
    accountId, name: 'Green Gardens', domain: options.domain ?? 'greengardens.example', active: options.active ?? true,
    timeZone: 'America/Denver', defaultPhoneRegion: 'US', idleWindowSeconds: 180, matchingPolicy: 'standard',
    fillFields: ['postalCode'], sharedIdentifierLimit: 5, identitySecret: 'a-long-identity-secret', channels: [], version: 1,
  });
  const seeded: SeededMember[] = [];
  for (const m of members) {
    const member: MemberUpserted = {
      accountId, memberId: randomUUID(), email: `${m.name.toLowerCase()}@greengardens.example`, name: m.name,
      role: m.role ?? 'agent', active: m.active ?? true, salesperson: m.salesperson ?? false,
      notificationPreference: m.preference, version: 1,
    };
    await publishEvent(run.js, run.naming(), MemberUpsertedEvent, member);
    seeded.push({ memberId: member.memberId, email: member.email, name: member.name });
  }
  const schema = run.schema('notifications');
  await eventually(async () => {
    const [row] = await run.query<{ members: number; accounts: number }>(
      `SELECT (SELECT count(*)::int FROM ${schema}.team_members WHERE account_id = $1) AS members,
              (SELECT count(*)::int FROM ${schema}.local_accounts WHERE account_id = $1) AS accounts`, [accountId]);
    return row && row.members === members.length && row.accounts === 1 ? true : undefined;
  }, 15_000, 'the account and its members to arrive');
  return { accountId, members: seeded };
}

export { ContactMatchedEvent, ContactSummaryCreatedEvent, LeadCreatedEvent, MessageReceivedEvent };

export interface StoredNotification {
  id: string;
  memberId: string;
  kind: string;
  title: string;
  body: Record<string, unknown> & { details: string[]; contact: Record<string, unknown> };
  conversationId: string | null;
  contactId: string | null;
  readAt: string | null;
}

/** Calls the service's HTTP API with the given credential headers; answers status and parsed JSON. */
export async function api<T = unknown>(url: string, method: string, path: string, headers: Record<string, string>,
  body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Waits until exactly `count` notifications match, then a little longer to be sure no more arrive. */
export async function notificationsOf(run: TestRun, accountId: string, predicate: string, count: number,
  params: unknown[] = []): Promise<{ member_id: string; kind: string; title: string; body: StoredNotification['body'] }[]> {
  const sql = `SELECT member_id, kind, title, body FROM ${run.schema('notifications')}.notifications
               WHERE account_id = $1 AND ${predicate} ORDER BY member_id`;
  const rows = await eventually(async () => {
    const found = await run.query<{ member_id: string; kind: string; title: string; body: StoredNotification['body'] }>(sql, [accountId, ...params]);
    return found.length >= count ? found : undefined;
  }, 15_000, `${count} notification(s) where ${predicate}`);
  return rows;
}

/** Waits until the service has handled (and committed) an event: what it did not do by then, it never does. */
export async function handled(run: TestRun, eventId: string): Promise<void> {
  await eventually(async () => {
    const rows = await run.query(`SELECT 1 FROM ${run.schema('notifications')}.inbox_events WHERE event_id = $1`, [eventId]);
    return rows.length > 0 ? true : undefined;
  }, 15_000, `event ${eventId} to be handled`);
}
