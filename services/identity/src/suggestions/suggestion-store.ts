import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { SuggestionReason, SuggestionSource } from './duplicate-suggestion.entity';

export interface SuggestedPair {
  contactId: string;
  otherContactId: string;
  source: SuggestionSource;
  probability: number | null;
  reasons: SuggestionReason[];
}

/**
 * Records suggestions for review, once per pair. A pair found again refreshes its reasons while it is open; a
 * dismissed pair stays dismissed (a member already said no) and a merged one stays merged.
 */
export async function recordSuggestions(tx: EntityManager, accountId: string, pairs: readonly SuggestedPair[]): Promise<number> {
  // One row per pair: PostgreSQL refuses to upsert the same row twice in one statement.
  const byPair = new Map<string, unknown[]>();
  for (const pair of pairs) {
    if (pair.contactId === pair.otherContactId) continue;
    const [a, b] = [pair.contactId, pair.otherContactId].sort();
    byPair.set(`${a}|${b}`, [uuidv7(), accountId, a, b, pair.source, pair.probability, JSON.stringify(pair.reasons)]);
  }
  const rows = [...byPair.values()];
  let recorded = 0;
  // Chunks keep each statement well under PostgreSQL's 65,535 parameters on a large account scan.
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const values = chunk.map((_, i) => `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, $${i * 7 + 6}, $${i * 7 + 7}::jsonb)`);
    const result: unknown[] = await tx.query(
      `INSERT INTO duplicate_suggestions (id, account_id, contact_a_id, contact_b_id, source, probability, reasons)
       VALUES ${values.join(', ')}
       ON CONFLICT (account_id, contact_a_id, contact_b_id) DO UPDATE
         SET reasons = EXCLUDED.reasons, source = EXCLUDED.source,
             probability = COALESCE(EXCLUDED.probability, duplicate_suggestions.probability), updated_at = now()
         WHERE duplicate_suggestions.status = 'open'
       RETURNING id`,
      chunk.flat(),
    );
    recorded += result.length;
  }
  return recorded;
}
