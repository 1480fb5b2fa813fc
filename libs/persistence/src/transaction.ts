import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { beginTransaction, beginWasSent, endTransaction, takeBegin } from './open-transactions';
import { queryPlain, queryPreparedOn } from './prepared-query';

/** A statement of fixed text with its values: see queryPrepared. */
export interface PreparedStatement {
  text: string;
  values: unknown[];
}

export interface TransactionOptions {
  /**
   * The transaction's last statement, asked for once the work is done (UnitOfWork: the events it caused): it goes
   * to PostgreSQL with the COMMIT, in one round trip.
   */
  finalStatement?: () => PreparedStatement | undefined;
}

/** TypeORM's own record of a runner's transaction (BaseQueryRunner), set here as its startTransaction would. */
interface RunnerTransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * Runs the work in one transaction, like DataSource.transaction, in fewer round trips: BEGIN travels with the first
 * statement sent through queryPrepared and COMMIT with the last (`finalStatement`). A consumer batch was BEGIN, the
 * inbox claim, its reads and writes, the outbox insert and COMMIT, a round trip each: two of them, a third of a small
 * batch's, carried only BEGIN and COMMIT. Work that sends nothing commits nothing. A statement sent through TypeORM
 * (repositories, `tx.query`, savepoints) first sends the BEGIN on its own if none went out yet.
 */
export async function runTransaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const typeormQuery = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
    if (takeBegin(runner)) await queryPlain(client, 'BEGIN');
    return typeormQuery(...args);
  }) as QueryRunner['query'];
  const state = runner as unknown as RunnerTransactionState;
  beginTransaction(runner, client);
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  try {
    const result = await work(runner.manager);
    const last = options.finalStatement?.();
    if (last) await queryPreparedOn(client, last.text, last.values, { begin: takeBegin(runner), commit: true });
    else if (beginWasSent(runner)) await queryPlain(client, 'COMMIT');
    return result;
  } catch (error) {
    // After a failed COMMIT there is no transaction left and ROLLBACK only warns; on a broken connection it fails
    // too, and TypeORM's runner gives the connection back to the pool as broken.
    if (beginWasSent(runner)) await queryPlain(client, 'ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    endTransaction(runner);
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await runner.release();
  }
}
