import { AccountUpdatedEvent, type AccountUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared, TransactionMemo } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AutomationRule } from '../automations/automation-rule.entity';

/** An account's webhook endpoint as the default announcements see it. */
export interface ActiveEndpoint {
  id: string;
  /** The notification kinds it is sent; empty: all of them. */
  kinds: string[];
}

/** An account's enabled automation, as the runner needs it. */
export type EnabledRule = Pick<AutomationRule, 'id' | 'name' | 'trigger' | 'conditions' | 'action'>;

/** What a consumer's transaction asks about an account, event after event: read once, in one statement. */
export interface AccountSetup {
  /** An inactive account notifies nothing; one not heard of yet is assumed active (its event may come later). */
  notifies: boolean;
  /** Active webhook endpoints, by id. */
  endpoints: ActiveEndpoint[];
  /** Enabled automations, oldest first (the order they run in). */
  rules: EnabledRule[];
}

/** The row of `accountSetupSql`. */
export interface AccountSetupRow {
  account_notifies: boolean;
  endpoints: ActiveEndpoint[];
  rules: EnabledRule[];
}

/** The account's setup (the columns of AccountSetupRow) for an SQL expression naming the account. */
export function accountSetupSql(account: string): string {
  return `SELECT COALESCE((SELECT active FROM local_accounts WHERE account_id = ${account}), true) AS account_notifies,
      (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', e.id, 'kinds', e.kinds) ORDER BY e.id), '[]')
        FROM webhook_endpoints e WHERE e.account_id = ${account} AND e.active) AS endpoints,
      (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'trigger', r.trigger,
          'conditions', r.conditions, 'action', r.action) ORDER BY r.created_at, r.id), '[]')
        FROM automation_rules r WHERE r.account_id = ${account} AND r.enabled) AS rules`;
}

export function accountSetupOf(row: AccountSetupRow): AccountSetup {
  return { notifies: row.account_notifies, endpoints: row.endpoints, rules: row.rules };
}

/** Whether a default announcement of this kind goes to the endpoint. */
export function subscribes(endpoint: ActiveEndpoint, kind: string): boolean {
  return endpoint.kinds.length === 0 || endpoint.kinds.includes(kind);
}

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

  /** See AccountSetup.notifies. */
  async notifies(tx: EntityManager, accountId: string): Promise<boolean> {
    return (await this.setup(tx, accountId)).notifies;
  }

  /**
   * Whether the account notifies, its endpoints and its automations: read once per transaction and account (a
   * consumer's batch asks for the same few accounts event after event), or given by a batch that read it already.
   */
  async setup(tx: EntityManager, accountId: string): Promise<AccountSetup> {
    return this.setups.get(tx, accountId, async () => {
      const [row] = await queryPrepared<AccountSetupRow>(tx, accountSetupSql('$1::uuid'), [accountId]);
      return accountSetupOf(row!);
    });
  }

  /** A setup this transaction has read in a statement of its own (a batch's): later questions need no read. */
  know(tx: EntityManager, accountId: string, setup: AccountSetup): void {
    this.setups.remember(tx, accountId, setup);
  }

  private readonly setups = new TransactionMemo<AccountSetup>();
}
