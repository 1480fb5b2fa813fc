import type { EntityManager } from 'typeorm';
import { LocalAccounts } from './local-accounts';

/** A transaction whose connection answers the account look-up from a table in memory and counts the look-ups. */
function aTransaction(active: Record<string, boolean>): EntityManager & { lookups: number } {
  const connection = {
    async query({ values: [accountId] }: { values: [string] }) {
      tx.lookups += 1;
      // The setup statement's one row: an account not heard of is assumed active (COALESCE in the SQL).
      return { rows: [{ account_notifies: active[accountId] ?? true, endpoints: [], rules: [] }] };
    },
  };
  const tx = { lookups: 0, queryRunner: { isReleased: false, connect: async () => connection } };
  return tx as unknown as EntityManager & { lookups: number };
}

describe('LocalAccounts.setup', () => {
  it('reads each account once per transaction, and anew in the next one', async () => {
    const accounts = new LocalAccounts();
    const batch = aTransaction({ a: true, b: false });

    const answers = [await accounts.notifies(batch, 'a'), await accounts.notifies(batch, 'b'), await accounts.notifies(batch, 'a'),
      await accounts.notifies(batch, 'unheard-of')];

    expect(answers).toEqual([true, false, true, true]);
    expect(batch.lookups).toBe(3);
    accounts.know(batch, 'c', { notifies: false, endpoints: [], rules: [] }); // read by a batch's own statement
    expect(await accounts.notifies(batch, 'c')).toBe(false);
    expect(batch.lookups).toBe(3);
    const next = aTransaction({ a: false });
    expect(await accounts.notifies(next, 'a')).toBe(false); // deactivated since: the next transaction sees it
    expect(next.lookups).toBe(1);
  });
});
