import {
  AccountUpdatedEvent, ConversationAnalyzedEvent, type AccountUpdated, type Channel, type ConversationAnalyzed, type IdentifierDto,
} from '@leadline/contracts';
import { publishEvent, type TestRun } from '@leadline/testing';
import { randomUUID } from 'node:crypto';

/** Test fixtures: the events identity consumes, as accounts and extraction publish them. */
export const IDENTITY_SECRET = 'identity-secret-for-tests-0123456789';

let version = 0;

export async function publishAccount(run: TestRun, accountId: string, settings: Partial<AccountUpdated> = {}): Promise<void> {
  version += 1;
  const account: AccountUpdated = {
    accountId, name: 'Green Gardens', domain: 'greengardens.example', active: true, timeZone: 'UTC', defaultPhoneRegion: 'US',
    idleWindowSeconds: 60, matchingPolicy: 'standard', fillFields: ['postalCode'], sharedIdentifierLimit: 3,
    identitySecret: IDENTITY_SECRET, channels: [], version, ...settings,
  };
  await publishEvent(run.js, run.naming(), AccountUpdatedEvent, account);
}

export interface Shared {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  postalCode?: string;
  address?: string;
}

const value = (text: string) => ({ value: text, confidence: 0.95, evidence: { messageId: randomUUID(), start: 0, end: text.length } });

export function analyzed(accountId: string, shared: Shared, options: {
  channel?: Channel; identifiers?: IdentifierDto[]; conversationId?: string; cycle?: number; summary?: string;
} = {}): ConversationAnalyzed {
  const conversationId = options.conversationId ?? randomUUID();
  return {
    accountId, conversationId, channel: options.channel ?? 'webchat', cycle: options.cycle ?? 1,
    identifiers: options.identifiers ?? [{ kind: 'device', value: randomUUID(), verified: false }],
    contactId: null, capture: { captureLeads: true, fields: ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'] },
    defaultRegion: 'US', visitorMessageCount: 1,
    fields: Object.fromEntries(Object.entries(shared).map(([field, text]) => [field, value(text as string)])),
    summary: options.summary ?? 'Wants a quote for landscaping.',
    signals: { intent: 'medium', urgency: 'low', budgetMentioned: false, sizeMentioned: false, contactCompleteness: 0.5 },
    extractor: 'rules', conversationUrl: `https://app.example/conversations/${conversationId}`, analyzedAt: new Date().toISOString(),
  };
}

export async function publishAnalyzed(run: TestRun, event: ConversationAnalyzed): Promise<ConversationAnalyzed> {
  await publishEvent(run.js, run.naming(), ConversationAnalyzedEvent, event);
  return event;
}
