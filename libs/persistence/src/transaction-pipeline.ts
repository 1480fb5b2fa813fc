import { Query, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';

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
  bind(message: Record<string, never>): void;
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

/** What goes to the wire with a statement, before one Sync. */
export interface StatementSurroundings {
  /** The transaction's BEGIN in front of it. */
  begin: boolean;
  /** The transaction's COMMIT behind it. */
  commit: boolean;
  /** Planned once and reused whatever its values: `plan_cache_mode` forced to a generic plan for it alone. */
  genericPlan: boolean;
}

/**
 * A prepared statement written to the wire with what surrounds it (a transaction's BEGIN and/or COMMIT, the setting
 * that gives it a generic plan), all before one Sync: one round trip instead of up to three. node-postgres sends one
 * query per round trip (its pipeline mode is a whole-client switch, with a Sync and a reply per query), so this
 * extends its own Query, which already reads several results from one reply (as for a multi-statement simple query).
 *
 * PostgreSQL runs the messages in order; the first error skips the rest up to the Sync and is this query's error,
 * leaving an open transaction aborted (the caller rolls back) or, if COMMIT itself failed, ended. The messages up to
 * a Sync form one transaction when no BEGIN opened one, so a failed statement also takes back the SET in front of it.
 */
class SurroundedStatement extends PgQuery {
  constructor(statement: NamedStatement, private readonly around: StatementSurroundings, callback: ResultsCallback) {
    super({ ...statement, callback });
  }

  override prepare(wire: Wire): void {
    if (this.around.begin || this.around.genericPlan) {
      // The statement's own Parse goes first: pg records a named statement as prepared on the first ParseComplete of
      // its query, so BEGIN's must not come before it (a statement that failed to parse, a table not there yet,
      // would pass for prepared and fail as "does not exist" from then on). A Parse needs no transaction.
      if (!this.hasBeenParsed(wire)) {
        wire.parse({ text: this.text, name: this.name, types: this.types });
        wire.submittedNamedStatements[this.name] = this.text;
      }
    }
    if (this.around.begin) runUnnamed(wire, 'BEGIN');
    // The plan is chosen at Bind, under the setting then in force.
    if (this.around.genericPlan) runUnnamed(wire, 'SET plan_cache_mode = force_generic_plan');
    super.prepare(wire); // Bind, Describe, Execute (its Parse is out already), then _getRows
  }

  override _getRows(wire: Wire, rows: number | undefined): void {
    wire.execute({ portal: this.portal, rows });
    if (this.around.genericPlan) runUnnamed(wire, 'RESET plan_cache_mode');
    if (this.around.commit) runUnnamed(wire, 'COMMIT');
    wire.sync();
  }
}

function runUnnamed(wire: Wire, text: string): void {
  wire.parse({ text, name: '' });
  wire.bind({});
  wire.execute({ portal: '' });
}

/** Runs the statement with what surrounds it in one round trip; answers the statement's rows. */
export function querySurrounded<R = QueryResultRow>(
  client: Pick<PoolClient, 'query'>, statement: NamedStatement, around: StatementSurroundings,
): Promise<R[]> {
  return new Promise((resolve, reject) => {
    client.query(new SurroundedStatement(statement, around, (error, results) => {
      if (error) return reject(error);
      // One result per command in order (BEGIN, SET, the statement, RESET, COMMIT: those written), or the statement's alone.
      const all = Array.isArray(results) ? results : [results];
      resolve(all[Number(around.begin) + Number(around.genericPlan)]!.rows as R[]);
    }));
  });
}
