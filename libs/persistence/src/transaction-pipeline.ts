import { Query, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { prepareValue } from 'pg/lib/utils';

/** A prepared statement to run: fixed text (its name derives from it), values in parameters. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** What pg's Connection offers a query as it writes to the wire (pg's own Query uses it; @types/pg leaves it out). */
interface Wire {
  parse(message: { text: string; name: string; types?: unknown }): void;
  /** Named statements whose Parse went out and is not answered yet (pg's bookkeeping, as Query.prepare keeps it). */
  submittedNamedStatements: Record<string, string>;
  bind(message: { portal?: string; statement?: string; values?: unknown[]; binary?: boolean; valueMapper?: (value: unknown) => unknown }): void;
  describe(message: { type: 'P' | 'S'; name: string }): void;
  execute(message: { portal: string; rows?: number }): void;
  sync(): void;
}

/** pg's Query with the two steps it writes a prepared statement with (pg/lib/query.js). */
interface QueryWriting {
  prepare(wire: Wire): void;
  _getRows(wire: Wire, rows: number | undefined): void;
  hasBeenParsed(wire: Wire): boolean;
  name: string;
  text: string;
  portal: string;
  types: unknown;
}

type ResultsCallback = (error: Error | undefined, results: QueryResult | QueryResult[]) => void;
const PgQuery = Query as unknown as new (config: NamedStatement & { callback: ResultsCallback }) => Query & QueryWriting;

/** What goes to the wire with the statements, before one Sync. */
export interface StatementSurroundings {
  /** The transaction's BEGIN in front of them. */
  begin: boolean;
  /** The transaction's COMMIT behind them. */
  commit: boolean;
}

/** One statement of a pipeline; `genericPlan`: planned once and reused whatever its values (see withGenericPlan). */
export interface PipelinedStatement {
  statement: NamedStatement;
  genericPlan: boolean;
}

/**
 * Prepared statements written to the wire with what surrounds them (a transaction's BEGIN and/or COMMIT, the setting
 * that gives one a generic plan), all before one Sync: one round trip instead of one per statement. node-postgres
 * sends one query per round trip (its pipeline mode is a whole-client switch, with a Sync and a reply per query), so
 * this extends its own Query, which already reads several results from one reply (as for a multi-statement simple
 * query). The Query is the last statement's: pg keeps its prepared-statement bookkeeping for that one, so the others
 * are parsed on the connection beforehand (queryPipeline).
 *
 * PostgreSQL runs the messages in order; the first error skips the rest up to the Sync and is this query's error,
 * leaving an open transaction aborted (the caller rolls back) or, if COMMIT itself failed, ended. The messages up to
 * a Sync form one transaction when no BEGIN opened one, so a failed statement also takes back a SET in front of it.
 */
class StatementPipeline extends PgQuery {
  constructor(private readonly earlier: readonly PipelinedStatement[], private readonly last: PipelinedStatement,
    private readonly around: StatementSurroundings, callback: ResultsCallback) {
    super({ ...last.statement, callback });
  }

  override prepare(wire: Wire): void {
    // The last statement's own Parse goes first: pg records a named statement as prepared on the first ParseComplete
    // of its query, so BEGIN's must not come before it (a statement that failed to parse, a table not there yet,
    // would pass for prepared and fail as "does not exist" from then on). A Parse needs no transaction.
    parseUnlessPrepared(this, wire);
    if (this.around.begin) runUnnamed(wire, 'BEGIN');
    for (const { statement, genericPlan } of this.earlier) {
      if (genericPlan) runUnnamed(wire, SET_GENERIC);
      wire.bind({ portal: '', statement: statement.name, values: statement.values, binary: false, valueMapper: prepareValue });
      wire.describe({ type: 'P', name: '' });
      wire.execute({ portal: '' });
      if (genericPlan) runUnnamed(wire, RESET_GENERIC);
    }
    // The plan is chosen at Bind, under the setting then in force.
    if (this.last.genericPlan) runUnnamed(wire, SET_GENERIC);
    super.prepare(wire); // Bind, Describe, Execute (its Parse is out already), then _getRows
  }

  override _getRows(wire: Wire, rows: number | undefined): void {
    wire.execute({ portal: this.portal, rows });
    if (this.last.genericPlan) runUnnamed(wire, RESET_GENERIC);
    if (this.around.commit) runUnnamed(wire, 'COMMIT');
    wire.sync();
  }
}

const SET_GENERIC = 'SET plan_cache_mode = force_generic_plan';
const RESET_GENERIC = 'RESET plan_cache_mode';

/**
 * A Parse alone: prepares a named statement on the connection, with pg's own bookkeeping (it is this query's name).
 * Checked again as it goes out: an earlier query in the connection's queue may have prepared it meanwhile.
 */
class ParseOnly extends PgQuery {
  override prepare(wire: Wire): void {
    parseUnlessPrepared(this, wire);
    wire.sync();
  }
}

/** The query's Parse, unless its statement is prepared on the connection already (pg's bookkeeping, as Query.prepare keeps it). */
function parseUnlessPrepared(query: QueryWriting, wire: Wire): void {
  if (query.hasBeenParsed(wire)) return;
  wire.parse({ text: query.text, name: query.name, types: query.types });
  wire.submittedNamedStatements[query.name] = query.text;
}

function runUnnamed(wire: Wire, text: string): void {
  wire.parse({ text, name: '' });
  wire.bind({});
  wire.execute({ portal: '' });
}

/**
 * Runs the statements in order, with what surrounds them, in one round trip; answers each statement's rows. A
 * statement before the last that this connection has not prepared yet is parsed first, in a round trip of its own
 * (once per connection). Everything is queued on the connection at once, before this returns its promise, so
 * statements keep the order they were asked for in (what runTransaction's BEGIN relies on).
 */
export async function queryPipeline(
  client: Pick<PoolClient, 'query'>, statements: readonly PipelinedStatement[], around: StatementSurroundings,
): Promise<QueryResultRow[][]> {
  const earlier = statements.slice(0, -1);
  const last = statements.at(-1);
  if (!last) throw new Error('queryPipeline: no statement to run');
  const parsing = earlier.filter(({ statement }) => !parsedOn(client, statement.name))
    .map(({ statement }) => send(client, (callback) => new ParseOnly({ ...statement, values: [], callback })));
  const running = send(client, (callback) => new StatementPipeline(earlier, last, around, callback));
  const [parsed, ran] = await Promise.all([Promise.allSettled(parsing), Promise.allSettled([running])]);
  // A statement that failed to parse is the cause of the pipeline's "does not exist": that is the error to report.
  const failed = [...parsed, ...ran].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const results = (ran[0] as PromiseFulfilledResult<QueryResult[]>).value;
  // One result per command in order (BEGIN, and for each statement SET, the statement, RESET; COMMIT: those written).
  let at = Number(around.begin);
  return statements.map(({ genericPlan }) => {
    const rows = results[at + Number(genericPlan)]!.rows;
    at += 1 + 2 * Number(genericPlan);
    return rows;
  });
}

/** Queues the query on the connection now (the promise's executor runs at once) and answers its results. */
function send(client: Pick<PoolClient, 'query'>, query: (callback: ResultsCallback) => Query): Promise<QueryResult[]> {
  return new Promise((resolve, reject) => {
    client.query(query((error, results) => (error ? reject(error) : resolve(Array.isArray(results) ? results : [results]))));
  });
}

/** Whether pg has this statement prepared on the client's connection (its own bookkeeping, which @types/pg leaves out). */
function parsedOn(client: Pick<PoolClient, 'query'>, name: string): boolean {
  const connection = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection;
  return connection?.parsedStatements?.[name] !== undefined;
}
