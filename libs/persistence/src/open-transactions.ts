import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';

interface OpenTransaction {
  client: PoolClient;
  beginSent: boolean;
}

/** Transactions opened by runTransaction, by the TypeORM runner their work is given (as `tx.queryRunner`). */
const open = new WeakMap<QueryRunner, OpenTransaction>();

export function beginTransaction(runner: QueryRunner, client: PoolClient): void {
  open.set(runner, { client, beginSent: false });
}

export function endTransaction(runner: QueryRunner): void {
  open.delete(runner);
}

/** The connection of a transaction runTransaction opened: statements go straight to it, queued in call order. */
export function openTransactionClient(runner: QueryRunner): PoolClient | undefined {
  return open.get(runner)?.client;
}

/**
 * True once per transaction, for the statement its BEGIN goes out with (or in front of). Taken as the statement is
 * queued on the connection, with no await in between: the connection runs statements in the order they were queued.
 */
export function takeBegin(runner: QueryRunner): boolean {
  const transaction = open.get(runner);
  if (!transaction || transaction.beginSent) return false;
  transaction.beginSent = true;
  return true;
}

/** Whether anything was sent in this transaction (so there is something to commit or roll back). */
export function beginWasSent(runner: QueryRunner): boolean {
  return open.get(runner)?.beginSent ?? false;
}
