import { ConversationAnalyzedEvent, type ConversationAnalyzed, type IdentifierDto } from '@leadline/contracts';
import { Outbox } from '@leadline/messaging';
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { IdentityResolver } from '../../services/identity/src/resolution/identity-resolver';
import { UserConversion } from '../../services/identity/src/resolution/user-conversion';
import { deviceOfPerson, FIRST_NAMES, SURNAMES } from './synthetic-contacts';

/**
 * The whole of identity's work on one `extraction.v1.conversation.analyzed`, as the service does it: the real
 * IdentityResolver.onConversationAnalyzed (locks, look-ups, decision, link, identifiers, claims, summary, the
 * outbox event) in its own transaction, committed. Visitors: half come back on the same browser, half on another
 * browser giving their email and phone; a tenth are strangers who make a new contact.
 */
export interface ResolveLatency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Conversations that ended matched (the rest created a contact). */
  matchedShare: number;
}

const STRANGERS = 0.1;
const WARM_UP = 100;

export async function resolveLatencies(dataSource: DataSource, accountId: string, contacts: number, conversations: number): Promise<ResolveLatency> {
  const outbox = new Outbox({ serviceName: 'identity', natsUrl: 'nats://unused', publishes: ['IDENTITY'] });
  const resolver = new IdentityResolver(outbox, new UserConversion(outbox));
  const latencies: number[] = [];
  let matched = 0;
  for (let n = -WARM_UP; n < conversations; n++) {
    const event = conversation(accountId, Math.random() < STRANGERS ? undefined : randomInt(contacts));
    const started = performance.now();
    await dataSource.transaction((tx) => resolver.onConversationAnalyzed({
      id: randomUUID(), type: ConversationAnalyzedEvent.type, source: 'extraction', time: new Date().toISOString(),
      data: event, deliveryCount: 1, finalAttempt: false, streamSequence: 1,
    }, tx));
    const elapsed = performance.now() - started;
    if (n < 0) continue;
    latencies.push(elapsed);
    const [link] = await dataSource.query(`SELECT duplicate FROM conversation_links WHERE conversation_id = $1`, [event.conversationId]) as { duplicate: boolean }[];
    if (link?.duplicate) matched++;
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { p50: at(50), p90: at(90), p99: at(99), max: latencies[latencies.length - 1]!, matchedShare: matched / conversations };
}

/** Person i coming back (same browser, or another one with their email and phone), or a stranger. */
function conversation(accountId: string, person: number | undefined): ConversationAnalyzed {
  const conversationId = randomUUID();
  const sameBrowser = person !== undefined && Math.random() < 0.5;
  const identifiers: IdentifierDto[] = [{ kind: 'device', value: sameBrowser ? deviceOfPerson(person) : randomUUID(), verified: false }];
  const label = person ?? randomInt(1_000_000_000);
  const fields = sameBrowser ? {} : {
    firstName: captured(FIRST_NAMES[label % FIRST_NAMES.length]!),
    lastName: captured(`Surname${label % SURNAMES}`),
    email: captured(person === undefined ? `stranger${label}-${conversationId}@example.org` : `person${person}@example.com`),
    ...(person === undefined ? {} : { phone: captured(`+1${2_000_000_000 + person}`) }),
  };
  return {
    accountId, conversationId, channel: 'webchat', cycle: 1, identifiers, contactId: null,
    capture: { captureLeads: true, fields: ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'] },
    defaultRegion: 'US', visitorMessageCount: 2, fields,
    summary: 'Asked for a quote for a new patio.',
    signals: { intent: 'medium', urgency: 'low', budgetMentioned: false, sizeMentioned: true, contactCompleteness: 0.6 },
    extractor: 'rules', conversationUrl: `https://app.example/conversations/${conversationId}`, analyzedAt: new Date().toISOString(),
  };
}

function captured(value: string) {
  return { value, confidence: 0.95, evidence: { messageId: randomUUID(), start: 0, end: value.length } };
}
