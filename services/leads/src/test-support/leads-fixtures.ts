import {
  ContactCreatedEvent, MemberUpsertedEvent, type Channel, type ContactCreated, type ContactSnapshotDto, type ConversationContactCreated, type MemberUpserted,
  type QualificationSignalsDto,
} from '@leadline/contracts';
import { eventually, memberHeaders, publishEvent, systemHeaders, type TestRun } from '@leadline/testing';
import { randomUUID } from 'node:crypto';

export const NO_SIGNALS: QualificationSignalsDto = { intent: 'none', urgency: 'none', budgetMentioned: false, sizeMentioned: false, contactCompleteness: 0 };
export const QUOTE_SIGNALS: QualificationSignalsDto = { ...NO_SIGNALS, intent: 'high', contactCompleteness: 2 / 6 }; // 47

export function snapshot(contactId: string, name: string, extra: Partial<ContactSnapshotDto> = {}): ContactSnapshotDto {
  const [firstName, lastName] = name.split(' ');
  return {
    contactId, role: 'lead', displayName: name, firstName: firstName ?? null, lastName: lastName ?? null,
    emails: [`${name.toLowerCase().replace(/\s+/g, '.')}@email.com`], phones: [], ...extra,
  };
}

export function contactCreated(accountId: string, name: string, options: {
  contactId?: string; channel?: Channel; signals?: QualificationSignalsDto; contact?: Partial<ContactSnapshotDto>; summary?: string;
} = {}): ConversationContactCreated {
  const contactId = options.contactId ?? randomUUID();
  const conversationId = randomUUID();
  return {
    accountId, contactId, conversationId, channel: options.channel ?? 'webchat', conversationUrl: `http://app/conversations/${conversationId}`,
    contact: snapshot(contactId, name, options.contact), summary: options.summary ?? `${name} asked for a quote.`,
    signals: options.signals ?? QUOTE_SIGNALS, createdAt: new Date().toISOString(),
  };
}

export function member(accountId: string, name: string, extra: Partial<MemberUpserted> = {}): MemberUpserted {
  return {
    accountId, memberId: randomUUID(), email: `${name.toLowerCase()}@team.example`, name, role: 'agent', active: true,
    salesperson: false, notificationPreference: 'all', version: 1, ...extra,
  };
}

export interface Json { [key: string]: unknown }
export interface HttpAnswer { status: number; body: Json & Json[]; headers: Headers; text: string }

/** Calls the leads API as a member of the account (or as a system with `as: 'system'`). */
export function leadsApi(url: string, accountId: string, as: { memberId?: string; system?: boolean } = {}) {
  const headers = as.system ? systemHeaders(accountId) : memberHeaders(accountId, as.memberId ? { memberId: as.memberId } : {});
  return async (method: string, path: string, body?: unknown): Promise<HttpAnswer> => {
    const response = await fetch(`${url}${path}`, {
      method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    return { status: response.status, body: parsed as Json & Json[], headers: response.headers, text };
  };
}

/** Publishes contact.created and waits for its lead. */
export async function openLead(run: TestRun, url: string, created: ContactCreated): Promise<Json> {
  await publishEvent(run.js, run.naming(), ContactCreatedEvent, created);
  const api = leadsApi(url, created.accountId);
  return eventually(async () => {
    const answer = await api('GET', `/v1/leads?q=${encodeURIComponent(created.contact.emails[0] ?? created.contact.displayName)}`);
    return (answer.body as Json[]).find((lead) => lead['contactId'] === created.contactId);
  }, 15_000, `the lead of ${created.contact.displayName}`);
}

/** Publishes a member and waits until the leads service knows them. */
export async function addMember(run: TestRun, upserted: MemberUpserted): Promise<MemberUpserted> {
  await publishEvent(run.js, run.naming(), MemberUpsertedEvent, upserted);
  await eventually(async () => {
    const rows = await run.query(`SELECT version FROM ${run.schema('leads')}.team_members WHERE member_id = $1`, [upserted.memberId]);
    return (rows[0] as { version?: number } | undefined)?.version === upserted.version ? true : undefined;
  }, 15_000, `member ${upserted.name}`);
  return upserted;
}
