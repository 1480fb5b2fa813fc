import { AccountUpdatedEvent, type AccountUpdated, type Channel, type ChannelSettingDto } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountSnapshot } from './account-snapshot.entity';
import { ChannelRoute } from './channel-route.entity';

export interface RoutedChannel {
  account: AccountUpdated;
  channel: ChannelSettingDto;
}

@Injectable()
export class AccountDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the newest version only: events may arrive twice or out of order. */
  @OnEvent(AccountUpdatedEvent, { purpose: 'account-directory' })
  async onAccountUpdated(event: ReceivedEvent<AccountUpdated>, tx: EntityManager): Promise<void> {
    const account = event.data;
    const updated: unknown[] = await tx.query(
      `INSERT INTO account_snapshots (account_id, version, settings) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version, settings = EXCLUDED.settings
       WHERE account_snapshots.version < EXCLUDED.version RETURNING account_id`,
      [account.accountId, account.version, JSON.stringify(account)],
    );
    if (updated.length === 0) return;
    await tx.delete(ChannelRoute, { accountId: account.accountId });
    if (account.channels.length > 0) {
      await tx.insert(ChannelRoute, account.channels.map((channel) => ({
        kind: channel.kind, address: channel.address, accountId: account.accountId,
      })));
    }
  }

  /** The account and channel settings behind a widget key, number or address; 404 when unknown. */
  async route(kind: Channel, address: string, manager: EntityManager = this.dataSource.manager): Promise<RoutedChannel> {
    const route = await manager.findOneBy(ChannelRoute, { kind, address });
    const snapshot = route && await manager.findOneBy(AccountSnapshot, { accountId: route.accountId });
    const channel = snapshot?.settings.channels.find((c) => c.kind === kind && c.address === address);
    if (!snapshot || !channel) throw new NotFoundException(`no account has the ${kind} channel "${address}"`);
    return { account: snapshot.settings, channel };
  }

  async account(accountId: string, manager: EntityManager = this.dataSource.manager): Promise<AccountUpdated | undefined> {
    return (await manager.findOneBy(AccountSnapshot, { accountId }))?.settings;
  }
}
