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

/**
 * A prepared statement written to the wire with a transaction's BEGIN in front of it and/or its COMMIT behind it,
 * all before one Sync: one round trip instead of up to three. node-postgres sends one query per round trip (its
 * pipeline mode is a whole-client switch, with a Sync and a reply per query), so this extends its own Query, which
 * already reads several results from one reply (as for a multi-statement simple query).
 *
 * PostgreSQL runs the messages in order; the first error skips the rest up to the Sync and is this query's error,
 * leaving an open transaction aborted (the caller rolls back) or, if COMMIT itself failed, ended.
 */
class StatementInTransaction extends PgQuery {
  constructor(statement: NamedStatement, private readonly begin: boolean, private readonly commit: boolean, callback: ResultsCallback) {
    super({ ...statement, callback });
  }

  override prepare(wire: Wire): void {
    if (this.begin) {
      // The statement's own Parse goes first: pg records a named statement as prepared on the first ParseComplete of
      // its query, so BEGIN's must not come before it (a statement that failed to parse, a table not there yet,
      // would pass for prepared and fail as "does not exist" from then on). A Parse needs no transaction.
      if (!this.hasBeenParsed(wire)) {
        wire.parse({ text: this.text, name: this.name, types: this.types });
        wire.submittedNamedStatements[this.name] = this.text;
      }
      runUnnamed(wire, 'BEGIN');
    }
    super.prepare(wire); // Bind, Describe, Execute (its Parse is out already), then _getRows
  }

  override _getRows(wire: Wire, rows: number | undefined): void {
    wire.execute({ portal: this.portal, rows });
    if (this.commit) runUnnamed(wire, 'COMMIT');
    wire.sync();
  }
}

function runUnnamed(wire: Wire, text: string): void {
  wire.parse({ text, name: '' });
  wire.bind({});
  wire.execute({ portal: '' });
}

/** Runs the statement with BEGIN and/or COMMIT around it in one round trip; answers the statement's rows. */
export function queryInTransaction<R = QueryResultRow>(
  client: Pick<PoolClient, 'query'>, statement: NamedStatement, around: { begin: boolean; commit: boolean },
): Promise<R[]> {
  return new Promise((resolve, reject) => {
    client.query(new StatementInTransaction(statement, around.begin, around.commit, (error, results) => {
      if (error) return reject(error);
      // One result per command in order (BEGIN, the statement, COMMIT), or the statement's alone.
      const all = Array.isArray(results) ? results : [results];
      resolve(all[around.begin ? 1 : 0]!.rows as R[]);
    }));
  });
}
