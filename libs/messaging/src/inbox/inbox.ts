import type { PreparedStatement } from '@leadline/persistence';
import type { QueryResultRow } from 'pg';

/**
 * Claims event ids for a consumer inside the handler's transaction: the statement (run with the batch's own, see
 * BatchPreparation) and the ids it answers, those not handled before. The claim commits with the handler's effects,
 * so a redelivered event is recognised and changes nothing.
 */
export function inboxClaim(consumer: string, eventIds: string[]): PreparedStatement {
  return {
    text: `INSERT INTO inbox_events (consumer, event_id) SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    values: [consumer, eventIds],
  };
}

export function claimedIds(rows: QueryResultRow[]): Set<string> {
  return new Set(rows.map((row) => row['event_id'] as string));
}
