import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { LeadHistoryEntry, type LeadHistoryKind } from '../leads/lead-history.entity';

/** Appends one entry to a lead's (and so its contact's) timeline, in the caller's transaction. */
export async function addHistory(
  tx: EntityManager, lead: { id: string; accountId: string; contactId: string }, kind: LeadHistoryKind,
  data: Record<string, unknown>, at: Date = new Date(),
): Promise<LeadHistoryEntry> {
  const entry: LeadHistoryEntry = {
    id: uuidv7(), accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, kind, data, createdAt: at,
  };
  await tx.getRepository(LeadHistoryEntry).insert(entry as never);
  return entry;
}
