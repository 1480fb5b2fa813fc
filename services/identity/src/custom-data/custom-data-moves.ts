import type { EntityManager } from 'typeorm';

/**
 * For merge/unmerge (merge/): the business's data on the merged contact follows it into the survivor, and an
 * unmerge takes back exactly what moved. The survivor keeps its own attributes and company; it takes the
 * other's events, the attributes it lacks, and the other's company when it has none.
 */
export interface MovedCustomData {
  eventIds: string[];
  attributeKeys: string[];
  /** The company the survivor took from the other, if it had none. */
  companyId: string | null;
}

export async function moveCustomData(tx: EntityManager, fromId: string, toId: string): Promise<MovedCustomData> {
  const eventIds = column(await tx.query(
    `UPDATE contact_events SET contact_id = $2 WHERE contact_id = $1 RETURNING id`, [fromId, toId]), 'id');
  const attributeKeys = column(await tx.query(
    `UPDATE contact_attributes SET contact_id = $2 WHERE contact_id = $1
        AND key NOT IN (SELECT key FROM contact_attributes WHERE contact_id = $2) RETURNING key`, [fromId, toId]), 'key');
  const company = column(await tx.query(
    `UPDATE contacts s SET company_id = o.company_id FROM contacts o
      WHERE s.id = $2 AND o.id = $1 AND s.company_id IS NULL AND o.company_id IS NOT NULL RETURNING s.company_id`, [fromId, toId]), 'company_id');
  return { eventIds, attributeKeys, companyId: company[0] ?? null };
}

/** Moves back what `moveCustomData` moved, where it is still on the survivor. */
export async function moveCustomDataBack(tx: EntityManager, moved: MovedCustomData, survivorId: string, restoredId: string): Promise<void> {
  await tx.query(`UPDATE contact_events SET contact_id = $2 WHERE contact_id = $1 AND id = ANY($3::uuid[])`, [survivorId, restoredId, moved.eventIds]);
  await tx.query(
    `UPDATE contact_attributes SET contact_id = $2 WHERE contact_id = $1 AND key = ANY($3::text[])
        AND key NOT IN (SELECT key FROM contact_attributes WHERE contact_id = $2)`, [survivorId, restoredId, moved.attributeKeys]);
  if (moved.companyId) {
    await tx.query(`UPDATE contacts SET company_id = NULL WHERE id = $1 AND company_id = $2`, [survivorId, moved.companyId]);
  }
}

/** Rows of a RETURNING query, whichever shape the pg driver gives ([rows, count] for UPDATE). */
function column(result: unknown, name: string): string[] {
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Record<string, string>[];
  return rows.map((row) => row[name]!);
}
