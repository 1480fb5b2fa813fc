import { ConversationAnalyzedEvent, ConversationIdleEvent } from '@leadline/contracts';
import type { Pool } from 'pg';
import type { DrivenConversation } from './workload';

const IDLE_TYPE = ConversationIdleEvent.type;
const ANALYZED_TYPE = ConversationAnalyzedEvent.type;

/**
 * When each conversation was done, read from the services' own tables (one database, a schema per service):
 * an identified visitor's conversation is done when its notifications are stored, an anonymous one when
 * identity has handled its analysis (nobody is told about an anonymous visitor).
 */
export async function completionTimes(db: Pool, conversations: DrivenConversation[]): Promise<Map<string, number>> {
  const identified = conversations.filter((c) => c.planned.kind !== 'anonymous').map((c) => c.conversationId);
  const anonymous = conversations.filter((c) => c.planned.kind === 'anonymous').map((c) => c.conversationId);
  const done = new Map<string, number>();
  const notified = await db.query(
    `SELECT conversation_id AS id, extract(epoch FROM max(created_at)) * 1000 AS at, count(*)::int AS n
     FROM notifications.notifications WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`, [identified]);
  for (const row of notified.rows) done.set(row.id, Number(row.at));
  const resolved = await db.query(
    `SELECT o.payload->>'conversationId' AS id, extract(epoch FROM min(i.processed_at)) * 1000 AS at
     FROM extraction.outbox_events o JOIN identity.inbox_events i ON i.event_id = o.id::text
     WHERE o.type = $2 AND o.payload->>'conversationId' = ANY($1::text[]) GROUP BY 1`, [anonymous, ANALYZED_TYPE]);
  for (const row of resolved.rows) done.set(row.id, Number(row.at));
  return done;
}

/** Milliseconds from each conversation's first idle event to its stored notification (database clock on both ends). */
export async function idleToNotificationMs(db: Pool, conversationIds: string[]): Promise<number[]> {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM (n.first_at - i.idle_at)) * 1000 AS ms
     FROM (SELECT payload->>'conversationId' AS id, min(created_at) AS idle_at FROM ingestion.outbox_events
           WHERE type = $2 AND payload->>'conversationId' = ANY($1::text[]) GROUP BY 1) i
     JOIN (SELECT conversation_id::text AS id, min(created_at) AS first_at FROM notifications.notifications
           WHERE conversation_id = ANY($1::uuid[]) GROUP BY 1) n USING (id)`, [conversationIds, IDLE_TYPE]);
  return rows.map((row) => Number(row.ms));
}

export interface Verdict {
  conversations: number;
  lost: number;
  duplicated: number;
  /** What was wrong, one line per finding (the first few hundred). */
  problems: string[];
}

/**
 * Checks every conversation against what it should have produced: its four messages once; for a visitor
 * who said who they are, the contact holding their email (the same one for all their conversations), exactly
 * one lead for that contact, and exactly one notification per recipient; for an anonymous one, no contact,
 * no notification, and its first idle cycle analysed once.
 */
export async function verifyOutcome(db: Pool, conversations: DrivenConversation[], recipientsOf: (account: number) => string[]): Promise<Verdict> {
  const verdict: Verdict = { conversations: conversations.length, lost: 0, duplicated: 0, problems: [] };
  const problem = (kind: 'lost' | 'duplicated', text: string): void => {
    verdict[kind] += 1;
    if (verdict.problems.length < 300) verdict.problems.push(`${kind}: ${text}`);
  };
  const ids = conversations.map((c) => c.conversationId);
  const messages = await countBy(db, 'SELECT conversation_id::text AS k, count(*)::int AS n FROM ingestion.messages WHERE conversation_id = ANY($1::uuid[]) GROUP BY 1', [ids]);
  const links = await rowsBy(db, 'SELECT conversation_id::text AS k, contact_id::text AS v FROM identity.conversation_links WHERE conversation_id = ANY($1::uuid[])', [ids]);
  const emails = [...new Set(conversations.flatMap((c) => (c.planned.person ? [c.planned.person.email] : [])))];
  const contactByEmail = await rowsBy(db, `SELECT value AS k, contact_id::text AS v FROM identity.identifiers WHERE kind = 'email' AND value = ANY($1::text[])`, [emails]);
  const contactIds = [...new Set(contactByEmail.values())];
  const leads = await countBy(db, 'SELECT contact_id::text AS k, count(*)::int AS n FROM leads.leads WHERE contact_id = ANY($1::uuid[]) GROUP BY 1', [contactIds]);
  const notified = await countBy(db, `SELECT conversation_id::text || '/' || member_id::text AS k, count(*)::int AS n FROM notifications.notifications WHERE conversation_id = ANY($1::uuid[]) GROUP BY 1`, [ids]);
  const notifiedConversations = await countBy(db, 'SELECT conversation_id::text AS k, count(*)::int AS n FROM notifications.notifications WHERE conversation_id = ANY($1::uuid[]) GROUP BY 1', [ids]);
  const analyzedFirstCycle = await countBy(db, `SELECT payload->>'conversationId' AS k, count(*)::int AS n FROM extraction.outbox_events
    WHERE type = $2 AND (payload->>'cycle')::int = 1 AND payload->>'conversationId' = ANY($1::text[]) GROUP BY 1`, [ids, ANALYZED_TYPE]);

  for (const c of conversations) {
    const id = c.conversationId;
    const label = `${c.planned.kind} conversation ${c.planned.key} (${id})`;
    const stored = messages.get(id) ?? 0;
    if (stored < c.planned.messages.length) problem('lost', `${label} has ${stored} of ${c.planned.messages.length} messages`);
    if (stored > c.planned.messages.length) problem('duplicated', `${label} has ${stored} messages, sent ${c.planned.messages.length}`);
    const analyzed = analyzedFirstCycle.get(id) ?? 0;
    if (analyzed === 0) problem('lost', `${label} was never analysed`);
    if (analyzed > 1) problem('duplicated', `${label} was analysed ${analyzed} times in its first idle cycle`);
    if (!c.planned.person) {
      if (links.has(id)) problem('duplicated', `${label} is anonymous but was linked to contact ${links.get(id)}`);
      const told = notifiedConversations.get(id) ?? 0;
      if (told > 0) problem('duplicated', `${label} is anonymous but produced ${told} notification(s)`);
      continue;
    }
    const expected = contactByEmail.get(c.planned.person.email);
    const linked = links.get(id);
    if (!linked) problem('lost', `${label} was never linked to a contact`);
    else if (!expected) problem('lost', `${label}: no contact holds ${c.planned.person.email}`);
    else if (linked !== expected) problem('duplicated', `${label} linked to contact ${linked}, but ${c.planned.person.email} belongs to ${expected}`);
    for (const member of recipientsOf(c.planned.account)) {
      const n = notified.get(`${id}/${member}`) ?? 0;
      if (n === 0) problem('lost', `${label}: member ${member} was not notified`);
      if (n > 1) problem('duplicated', `${label}: member ${member} was notified ${n} times`);
    }
  }
  for (const [email, contactId] of contactByEmail) {
    const n = leads.get(contactId) ?? 0;
    if (n === 0) problem('lost', `contact ${contactId} (${email}) has no lead`);
    if (n > 1) problem('duplicated', `contact ${contactId} (${email}) has ${n} leads`);
  }
  for (const email of emails) if (!contactByEmail.has(email)) problem('lost', `no contact was made for ${email}`);
  return verdict;
}

async function countBy(db: Pool, sql: string, params: unknown[]): Promise<Map<string, number>> {
  const { rows } = await db.query(sql, params);
  return new Map(rows.map((row: { k: string; n: number }) => [row.k, row.n]));
}

async function rowsBy(db: Pool, sql: string, params: unknown[]): Promise<Map<string, string>> {
  const { rows } = await db.query(sql, params);
  return new Map(rows.map((row: { k: string; v: string }) => [row.k, row.v]));
}
