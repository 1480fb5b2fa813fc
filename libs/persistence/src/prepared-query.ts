import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { openTransactionClient, takeBegin } from './open-transactions';
import { queryInTransaction } from './transaction-pipeline';

/**
 * Runs a hot path's statement as a named prepared statement: PostgreSQL parses it once per connection and, after a
 * few runs, reuses its plan, so each later call is only bound and executed. Measured in bench/e2e with
 * pg_stat_statements, planning alone was a third of PostgreSQL's statement time (the identity claim look-up 0.57 ms
 * to plan, 0.1 ms to run). TypeORM's `query` cannot name a statement, so this goes to the transaction's own
 * connection (or the pool outside one); a failure is the same QueryFailedError TypeORM would throw.
 *
 * The name is derived from the text, so one text is one statement on every connection and two texts never share a
 * name. Only for statements whose text is fixed (values go in parameters): each text stays prepared on each pooled
 * connection for the connection's life.
 */
export async function queryPrepared<R = QueryResultRow>(tx: EntityManager, text: string, values: unknown[]): Promise<R[]> {
  const runner = tx.queryRunner;
  // In a transaction runTransaction opened, the first statement carries its BEGIN (and goes out before any await).
  const client = runner && openTransactionClient(runner);
  if (client) return queryPreparedOn(client, text, values, { begin: takeBegin(runner), commit: false });
  return queryPreparedOn(await connectionOf(tx), text, values, { begin: false, commit: false });
}

/** queryPrepared on a connection in hand, optionally with its transaction's BEGIN and/or COMMIT (one round trip). */
export async function queryPreparedOn<R = QueryResultRow>(
  client: Pick<PoolClient, 'query'>, text: string, values: unknown[], around: { begin: boolean; commit: boolean },
): Promise<R[]> {
  const statement = { name: statementName(text), text, values };
  try {
    if (around.begin || around.commit) return await queryInTransaction<R>(client, statement, around);
    const { rows } = await client.query<QueryResultRow>(statement);
    return rows as R[];
  } catch (error) {
    throw asQueryFailed(error, text, values);
  }
}

/** A statement without parameters (BEGIN, COMMIT, ROLLBACK), failing as TypeORM's query would. */
export async function queryPlain(client: Pick<PoolClient, 'query'>, text: string): Promise<void> {
  try {
    await client.query(text);
  } catch (error) {
    throw asQueryFailed(error, text, []);
  }
}

function asQueryFailed(error: unknown, text: string, values: unknown[]): unknown {
  return error instanceof Error && !(error instanceof QueryFailedError) && 'code' in error
    ? new QueryFailedError(text, values, error) : error;
}

async function connectionOf(tx: EntityManager): Promise<Pick<PoolClient, 'query'>> {
  const runner = tx.queryRunner;
  if (runner) {
    if (runner.isReleased) throw new Error('queryPrepared: the transaction is over (its query runner was released)');
    return (await runner.connect()) as PoolClient;
  }
  return (tx.connection.driver as PostgresDriver).master as Pool;
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, name = `ll_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`);
  return name;
}
