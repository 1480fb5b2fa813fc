import { runBatchStatement } from '@leadline/messaging';
import type { EntityManager } from 'typeorm';
import { claimLocks, lockClaims } from './identifier-writes';

/** A transaction whose connection records the keys each advisory-lock statement asked for. */
function aTransaction(): EntityManager & { asked: string[][] } {
  const connection = {
    async query({ values: [keys] }: { values: [string[]] }) {
      tx.asked.push(keys);
      return { rows: [] };
    },
  };
  const tx = { asked: [] as string[][], queryRunner: { isReleased: false, connect: async () => connection } };
  return tx as unknown as EntityManager & { asked: string[][] };
}

describe('claim locks', () => {
  it("locks a batch's claims in one sorted statement, and asks again only for claims not yet held", async () => {
    const batch = aTransaction();
    // As a consumer's batch takes them (there, with its inbox claim).
    await runBatchStatement(batch, claimLocks(batch, [
      { accountId: 'acc', claims: [{ kind: 'phone', value: '+15551234567' }, { kind: 'email', value: 'jo@example.com' }] },
      { accountId: 'acc', claims: [{ kind: 'email', value: 'al@example.com' }] },
    ]));
    await lockClaims(batch, 'acc', [{ kind: 'email', value: 'jo@example.com' }]);
    await lockClaims(batch, 'acc', [{ kind: 'email', value: 'jo@example.com' }, { kind: 'device', value: 'd-1' }]);

    expect(batch.asked).toEqual([
      ['acc:email:al@example.com', 'acc:email:jo@example.com', 'acc:phone:+15551234567'],
      ['acc:device:d-1'],
    ]);
    const next = aTransaction();
    await lockClaims(next, 'acc', [{ kind: 'email', value: 'jo@example.com' }]);
    expect(next.asked).toEqual([['acc:email:jo@example.com']]);
  });
});
