import type { EntityManager } from 'typeorm';
import { TransactionMemo } from './transaction-memo';

const aTransaction = () => ({}) as EntityManager;

describe('TransactionMemo', () => {
  it('reads each key once per transaction, and afresh in the next', async () => {
    const memo = new TransactionMemo<string>();
    const reads: string[] = [];
    const read = (key: string, value: string) => async () => {
      reads.push(key);
      return value;
    };
    const batch = aTransaction();

    const answers = await Promise.all([
      memo.get(batch, 'a', read('a', 'active')), memo.get(batch, 'a', read('a', 'other')), memo.get(batch, 'b', read('b', 'inactive')),
    ]);
    const next = await memo.get(aTransaction(), 'a', read('a', 'deactivated since'));

    expect(answers).toEqual(['active', 'active', 'inactive']);
    expect(next).toBe('deactivated since');
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('does not remember a read that failed', async () => {
    const memo = new TransactionMemo<number>();
    const batch = aTransaction();
    await expect(memo.get(batch, 'k', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await memo.get(batch, 'k', async () => 7)).toBe(7);
  });

  it('answers what the transaction was told, without reading, and only in that transaction', async () => {
    const memo = new TransactionMemo<string>();
    const batch = aTransaction();
    memo.remember(batch, 'a', 'read with the batch');
    expect(await memo.get(batch, 'a', async () => 'read again')).toBe('read with the batch');
    expect(await memo.get(aTransaction(), 'a', async () => 'read again')).toBe('read again');
  });
});
