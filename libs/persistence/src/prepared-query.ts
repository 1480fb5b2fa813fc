import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { QueryFailedError, type EntityManager, type QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { openTransactionClient, takeBegin } from './open-transactions';
import type { PreparedStatement } from './transaction';
import { queryPipeline, type PipelinedStatement } from './transaction-pipeline';

/**
 * Runs a hot path's statement as a named prepared statement: PostgreSQL parses it once per connection and, after a
 * few runs, reuses its plan unless a plan for the values at hand looks cheaper (see withGenericPlan), so each later
 * call is only bound and executed. TypeORM's `query` cannot name a statement, so this goes to the transaction's own
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
  if (runner) return queryPreparedOn(await connectionOf(runner), text, values, NOTHING_AROUND);
  const pool = (tx.connection.driver as PostgresDriver).master as Pool;
  if (!genericPlanTexts.has(text)) return queryPreparedOn(pool, text, values, NOTHING_AROUND);
  // Its setting goes with it on one connection.
  const pooled = await pool.connect();
  try {
    return await queryPreparedOn(pooled, text, values, NOTHING_AROUND);
  } finally {
    pooled.release();
  }
}

const NOTHING_AROUND = { begin: false, commit: false };

/** queryPrepared on a connection in hand (a pool only for a statement without a generic plan), optionally with its transaction's BEGIN and/or COMMIT (one round trip). */
export async function queryPreparedOn<R = QueryResultRow>(
  client: Pick<PoolClient, 'query'>, text: string, values: unknown[], around: { begin: boolean; commit: boolean },
): Promise<R[]> {
  const pipelined = pipelinedStatement({ text, values });
  try {
    if (around.begin || around.commit || pipelined.genericPlan) return (await queryPipeline(client, [pipelined], around))[0] as R[];
    const { rows } = await client.query<QueryResultRow>(pipelined.statement);
    return rows as R[];
  } catch (error) {
    throw asQueryFailed(error, text, values);
  }
}

/**
 * Several statements of fixed text at once, in one round trip when in a transaction runTransaction opened (its
 * BEGIN in front if none went out yet), one after the other otherwise; answers each one's rows, in order. For
 * statements that do not need each other's answers to be written (a consumer's inbox claim and the batch's first
 * read): each still sees what the ones before it did. The first failure fails the call; the transaction is then
 * aborted, as after any failed statement.
 */
export async function queryPreparedTogether(tx: EntityManager, statements: readonly PreparedStatement[]): Promise<QueryResultRow[][]> {
  const runner = tx.queryRunner;
  const client = runner && openTransactionClient(runner);
  if (!client || statements.length < 2) {
    const answers: QueryResultRow[][] = [];
    for (const { text, values } of statements) answers.push(await queryPrepared(tx, text, values));
    return answers;
  }
  try {
    return await queryPipeline(client, statements.map(pipelinedStatement), { begin: takeBegin(runner), commit: false });
  } catch (error) {
    throw asQueryFailed(error, statements.map((s) => s.text).join(';\n'), statements.flatMap((s) => s.values));
  }
}

/** The statement as it goes to the wire: named after its text, with the plan it was marked for. */
function pipelinedStatement({ text, values }: PreparedStatement): PipelinedStatement {
  return { statement: { name: statementName(text), text, values }, genericPlan: genericPlanTexts.has(text) };
}

const genericPlanTexts = new Set<string>();

/**
 * Marks a statement (its text, as queryPrepared gets it) to run on a plan made once per connection, whatever its
 * values, and answers the text. PostgreSQL plans a prepared statement anew for every run while a plan for the values
 * at hand looks cheaper than the generic one, which it always does for a statement over `unnest` of array
 * parameters of one or two elements: with pg_stat_statements' planning times at 100 conversations/s in bench/e2e,
 * three such statements were planned on every run, each plan costing two to five times its execution (a third of
 * PostgreSQL's statement time in all). Only for statements whose generic plan is as good: look at it with
 * `SET plan_cache_mode = force_generic_plan` and EXPLAIN EXECUTE first.
 */
export function withGenericPlan(text: string): string {
  genericPlanTexts.add(text);
  return text;
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

async function connectionOf(runner: QueryRunner): Promise<PoolClient> {
  if (runner.isReleased) throw new Error('queryPrepared: the transaction is over (its query runner was released)');
  return (await runner.connect()) as PoolClient;
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, name = `ll_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`);
  return name;
}
