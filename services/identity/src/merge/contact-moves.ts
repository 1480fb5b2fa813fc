import type { EntityManager } from 'typeorm';
import type { MovedByMerge } from './contact-merge.entity';

type Moved = Omit<MovedByMerge, 'filledFields'>;

/** Moves every identifier, conversation and summary of `fromId` to `toId`, and says which ones moved. */
export async function moveEverything(tx: EntityManager, fromId: string, toId: string): Promise<Moved> {
  return {
    identifierIds: await ids(tx, `UPDATE identifiers SET contact_id = $2 WHERE contact_id = $1 RETURNING id`, [fromId, toId]),
    conversationIds: await ids(tx, `UPDATE conversation_links SET contact_id = $2 WHERE contact_id = $1 RETURNING conversation_id AS id`, [fromId, toId]),
    summaryIds: await ids(tx, `UPDATE contact_summaries SET contact_id = $2 WHERE contact_id = $1 RETURNING id`, [fromId, toId]),
  };
}

/** Moves back exactly what a merge moved, where it is still on the survivor. */
export async function moveBack(tx: EntityManager, moved: MovedByMerge, survivorId: string, restoredId: string): Promise<Moved> {
  return {
    identifierIds: await ids(tx, `UPDATE identifiers SET contact_id = $2 WHERE contact_id = $1 AND id = ANY($3::uuid[]) RETURNING id`,
      [survivorId, restoredId, moved.identifierIds]),
    conversationIds: await ids(tx, `UPDATE conversation_links SET contact_id = $2 WHERE contact_id = $1 AND conversation_id = ANY($3::uuid[])
                                    RETURNING conversation_id AS id`, [survivorId, restoredId, moved.conversationIds]),
    summaryIds: await ids(tx, `UPDATE contact_summaries SET contact_id = $2 WHERE contact_id = $1 AND id = ANY($3::uuid[]) RETURNING id`,
      [survivorId, restoredId, moved.summaryIds]),
  };
}

async function ids(tx: EntityManager, sql: string, params: unknown[]): Promise<string[]> {
  // A RETURNING update comes back from the pg driver as [rows, affectedCount].
  const result = (await tx.query(sql, params)) as [{ id: string }[], number] | { id: string }[];
  const rows = Array.isArray(result[0]) ? (result[0] as { id: string }[]) : (result as { id: string }[]);
  return rows.map((row) => row.id);
}
