import { ContactCreatedEvent, ConversationAnalyzedEvent, ConversationIdleEvent, LeadCreatedEvent } from '@leadline/contracts';
import type { Pool } from 'pg';
import { percentile, round } from './stats';

/** The hops of a new visitor's way from idle to notification, each named by the services it goes between. */
export const HOPS = ['scan -> extraction', 'extraction -> identity', 'identity -> leads', 'leads -> notifications'] as const;

export type HopLatencies = Record<(typeof HOPS)[number], { p50Ms: number; p99Ms: number }>;

/**
 * Where the time from idle to notification goes, hop by hop, for new visitors' conversations (the longest way: a
 * contact and a lead are made before anyone is told). Each service's moment is when it queued its event (its outbox
 * row's created_at: the idle scan, extraction's analysis, identity's contact.created, leads' lead.created), and the
 * notification's when it was stored; so a hop is the event's commit, publish and delivery plus the next service's
 * work up to its own event. All on one machine's clock. What made the p99 (a busy machine's scheduling, a burst of
 * idle events) shows as the hop whose p99 stands out.
 */
export async function hopLatencies(db: Pool, conversationIds: string[]): Promise<HopLatencies | undefined> {
  const { rows } = await db.query<{ hop: number; ms: number }>(
    `WITH ids AS (SELECT unnest($1::text[]) AS id),
     idle AS (SELECT payload->>'conversationId' AS id, min(created_at) AS at FROM ingestion.outbox_events
              WHERE type = $2 AND payload->>'conversationId' IN (SELECT id FROM ids) GROUP BY 1),
     analyzed AS (SELECT payload->>'conversationId' AS id, min(created_at) AS at FROM extraction.outbox_events
              WHERE type = $3 AND payload->>'conversationId' IN (SELECT id FROM ids) GROUP BY 1),
     contact AS (SELECT payload->>'conversationId' AS id, min(created_at) AS at FROM identity.outbox_events
              WHERE type = $4 AND payload->>'conversationId' IN (SELECT id FROM ids) GROUP BY 1),
     lead AS (SELECT payload->>'conversationId' AS id, min(created_at) AS at FROM leads.outbox_events
              WHERE type = $5 AND payload->>'conversationId' IN (SELECT id FROM ids) GROUP BY 1),
     told AS (SELECT conversation_id::text AS id, min(created_at) AS at FROM notifications.notifications
              WHERE conversation_id::text IN (SELECT id FROM ids) GROUP BY 1)
     SELECT h.hop, extract(epoch FROM (h.b - h.a)) * 1000 AS ms
     FROM idle JOIN analyzed USING (id) JOIN contact USING (id) JOIN lead USING (id) JOIN told USING (id)
     CROSS JOIN LATERAL (VALUES (0, idle.at, analyzed.at), (1, analyzed.at, contact.at), (2, contact.at, lead.at), (3, lead.at, told.at)) h(hop, a, b)`,
    [conversationIds, ConversationIdleEvent.type, ConversationAnalyzedEvent.type, ContactCreatedEvent.type, LeadCreatedEvent.type]);
  if (rows.length === 0) return undefined;
  const byHop = HOPS.map((_, hop) => rows.filter((row) => row.hop === hop).map((row) => Number(row.ms)));
  return Object.fromEntries(HOPS.map((name, hop) => [name, {
    p50Ms: round(percentile(byHop[hop]!, 50)), p99Ms: round(percentile(byHop[hop]!, 99)),
  }])) as HopLatencies;
}

export function describeHops(hops: HopLatencies): string {
  return HOPS.map((name) => `${name} ${hops[name].p50Ms}/${hops[name].p99Ms}`).join(', ');
}
