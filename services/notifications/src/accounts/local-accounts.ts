import { AccountUpdatedEvent, type AccountUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared, TransactionMemo } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface LocalAccount {
  accountId: string;
  name: string;
  domain: string;
  active: boolean;
}

/** Notifications' copy of each account: its name and domain (emails come from noreply@<domain>) and whether it is active. */
@Injectable()
export class LocalAccounts {
  @OnEvent(AccountUpdatedEvent, { purpose: 'account-updated' })
  async onAccountUpdated(event: ReceivedEvent<AccountUpdated>, tx: EntityManager): Promise<void> {
    const a = event.data;
    await tx.query(
      `INSERT INTO local_accounts (account_id, name, domain, active, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain, active = EXCLUDED.active,
         version = EXCLUDED.version WHERE local_accounts.version < EXCLUDED.version`,
      [a.accountId, a.name, a.domain, a.active, a.version],
    );
  }

  async find(tx: EntityManager, accountId: string): Promise<LocalAccount | undefined> {
    const [row] = await queryPrepared<{ account_id: string; name: string; domain: string; active: boolean }>(tx,
      `SELECT account_id, name, domain, active FROM local_accounts WHERE account_id = $1`, [accountId]);
    return row ? { accountId: row.account_id, name: row.name, domain: row.domain, active: row.active } : undefined;
  }

  /**
   * An inactive account notifies nothing; one not heard of yet is assumed active (its event may come later).
   * Read once per transaction and account: a consumer's batch asks for the same few accounts event after event.
   */
  async notifies(tx: EntityManager, accountId: string): Promise<boolean> {
    return (await this.readIn.get(tx, accountId, () => this.find(tx, accountId)))?.active ?? true;
  }

  private readonly readIn = new TransactionMemo<LocalAccount | undefined>();
}
