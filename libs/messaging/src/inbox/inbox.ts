import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';

/**
 * Claims event ids for a consumer inside the handler's transaction; returns the ids not handled before.
 * The claim commits with the handler's effects, so a redelivered event is recognised and changes nothing.
 */
export async function claimEvents(tx: EntityManager, consumer: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await queryPrepared<{ event_id: string }>(tx,
    `INSERT INTO inbox_events (consumer, event_id) SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((row) => row.event_id));
}
