import type { JetStreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { sleep } from './stats';

/** Counters of what the pipeline spent: JetStream messages stored and delivered, PostgreSQL commits. */
export interface CostCounters {
  at: number;
  published: number;
  delivered: number;
  commits: number;
}

/**
 * Reads the counters of one deployment: messages stored in its streams (each publish stores one; the
 * de-duplication window drops repeats before they count), deliveries to its durable consumers (redeliveries
 * included), and commits in its database from pg_stat_database.
 */
export async function readCosts(jsm: JetStreamManager, db: Pool, prefix: string, database: string): Promise<CostCounters> {
  let published = 0;
  let delivered = 0;
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(`${prefix}_`)) continue;
    published += stream.state.messages;
    for await (const consumer of jsm.consumers.list(stream.config.name)) delivered += consumer.delivered.consumer_seq;
  }
  const { rows } = await db.query('SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = $1', [database]);
  return { at: Date.now(), published, delivered, commits: Number(rows[0]?.commits ?? 0) };
}

/**
 * PostgreSQL publishes a backend's counters at most once a second while it works, and up to 10 s after it
 * goes idle: wait that long before reading commits, so a phase is counted whole.
 */
export async function settleStatistics(): Promise<void> {
  await sleep(11_000);
}

export interface PerConversation {
  published: number;
  delivered: number;
  commits: number;
}

/**
 * Spent between `before` and `after`, per conversation. The services' idle polling (idle scanner, relays)
 * while they work is part of the cost; only the quiet time after the last conversation finished, which the
 * statistics wait adds, is taken off at the background rate measured while nothing happened.
 */
export function perConversation(
  before: CostCounters, after: CostCounters, conversations: number, background: { commitsPerSecond: number; quietMs: number },
): PerConversation {
  const commits = after.commits - before.commits - (background.commitsPerSecond * background.quietMs) / 1000;
  return {
    published: (after.published - before.published) / conversations,
    delivered: (after.delivered - before.delivered) / conversations,
    commits: Math.max(0, commits) / conversations,
  };
}

/**
 * The statements that stored these conversations' messages: the group commit stores a batch in one statement, so
 * its rows share their transaction id (xmin). Each was one of the pipeline's commits.
 */
export async function messageStatements(db: Pool, conversationIds: string[]): Promise<number> {
  const { rows } = await db.query(
    'SELECT count(DISTINCT xmin::text)::int AS n FROM ingestion.messages WHERE conversation_id = ANY($1::uuid[])', [conversationIds]);
  return Number(rows[0]?.n ?? 0);
}
