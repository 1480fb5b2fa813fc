import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { LeadHistoryEntry, LeadHistoryKind } from '../leads/lead-history.entity';

/** Appends one entry to a lead's (and so its contact's) timeline, in the caller's transaction. */
export async function addHistory(
  tx: EntityManager, lead: { id: string; accountId: string; contactId: string }, kind: LeadHistoryKind,
  data: Record<string, unknown>, at: Date = new Date(),
): Promise<LeadHistoryEntry> {
  const entry: LeadHistoryEntry = {
    id: uuidv7(), accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, kind, data, createdAt: at,
  };
  // Prepared: a history entry is written on nearly every lead event.
  await queryPrepared(tx, historyInsertSql('$1', '$2', '$3', '$4', '$5', '$6', '$7'),
    [entry.id, entry.accountId, entry.leadId, entry.contactId, kind, JSON.stringify(data), at]);
  return entry;
}

/** The history insert as SQL, for a statement that writes more: expressions for each column (data as JSON text). */
export function historyInsertSql(id: string, accountId: string, leadId: string, contactId: string, kind: string, data: string,
  at: string): string {
  return `INSERT INTO lead_history (id, account_id, lead_id, contact_id, kind, data, created_at)
    VALUES (${id}, ${accountId}, ${leadId}, ${contactId}, ${kind}, ${data}::jsonb, ${at})`;
}
