import type { EntityManager } from 'typeorm';

/**
 * What a transaction has read once, answered from memory for the rest of it: a consumer's batch is one transaction,
 * and its events ask the same few questions again and again (an account's state, its webhook endpoints, its rules).
 * Within one transaction the answer would not change unless the transaction itself changed it, which the callers
 * of a memo never do; the next transaction reads afresh. A finished transaction's answers go with its manager.
 */
export class TransactionMemo<V> {
  private readonly answers = new WeakMap<EntityManager, Map<string, Promise<V>>>();

  get(tx: EntityManager, key: string, read: () => Promise<V>): Promise<V> {
    const known = this.of(tx);
    let answer = known.get(key);
    if (!answer) {
      answer = read();
      known.set(key, answer);
      answer.catch(() => known!.delete(key)); // a failed read is not remembered
    }
    return answer;
  }

  /** An answer the transaction got otherwise (read together with others): later `get`s take it. */
  remember(tx: EntityManager, key: string, value: V): void {
    this.of(tx).set(key, Promise.resolve(value));
  }

  private of(tx: EntityManager): Map<string, Promise<V>> {
    let known = this.answers.get(tx);
    if (!known) this.answers.set(tx, known = new Map());
    return known;
  }
}
