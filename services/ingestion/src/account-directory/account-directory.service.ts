import { AccountUpdatedEvent, type AccountUpdated, type Channel, type ChannelSettingDto } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable, NotFoundException, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountSnapshot } from './account-snapshot.entity';
import { IngestionConfig } from '../ingestion.config';
import { ChannelRoute } from './channel-route.entity';

const MAX_CACHED_ROUTES = 10_000;

export interface RoutedChannel {
  account: AccountUpdated;
  channel: ChannelSettingDto;
}

@Injectable()
export class AccountDirectory {
  /**
   * Routes read in the last ROUTE_CACHE_MS: every inbound message needs one, and a round trip per message is what
   * the channels' throughput is made of. Account changes already reach this service asynchronously (an event); a
   * replica may see one up to ROUTE_CACHE_MS later still. Unknown addresses are not cached (a 404 stays cheap to fix).
   */
  private readonly routes = new Map<string, { routed: RoutedChannel; until: number }>();

  constructor(private readonly dataSource: DataSource, @Optional() private readonly config?: IngestionConfig) {}

  /** Keeps the newest version only: events may arrive twice or out of order. */
  @OnEvent(AccountUpdatedEvent, { purpose: 'account-directory' })
  async onAccountUpdated(event: ReceivedEvent<AccountUpdated>, tx: EntityManager): Promise<void> {
    const account = event.data;
    this.routes.clear(); // this replica sees the change at once; the others within ROUTE_CACHE_MS
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
    const key = `${kind}\u0000${kind === 'email' ? address.toLowerCase() : address}`;
    const cached = this.routes.get(key);
    if (cached && cached.until > Date.now()) return cached.routed;
    const routed = await this.lookUp(kind, address, manager);
    const ttl = this.config?.ROUTE_CACHE_MS ?? 0;
    if (ttl > 0) {
      if (this.routes.size >= MAX_CACHED_ROUTES) this.routes.clear();
      this.routes.set(key, { routed, until: Date.now() + ttl });
    }
    return routed;
  }

  private async lookUp(kind: Channel, address: string, manager: EntityManager): Promise<RoutedChannel> {
    // One round trip: this is on every inbound message's path.
    const [row] = await queryPrepared<{ settings: AccountUpdated }>(manager,
      `SELECT s.settings FROM channel_routes r JOIN account_snapshots s ON s.account_id = r.account_id
       WHERE r.kind = $1 AND (r.address = $2 OR ($1 = 'email' AND lower(r.address) = lower($2)))`, [kind, address]);
    const channel = row?.settings.channels.find((c) => c.kind === kind
      && (c.address === address || (kind === 'email' && c.address.toLowerCase() === address.toLowerCase())));
    if (!row || !channel) throw new NotFoundException(`no account has the ${kind} channel "${address}"`);
    return { account: row.settings, channel };
  }

  async account(accountId: string, manager: EntityManager = this.dataSource.manager): Promise<AccountUpdated | undefined> {
    return (await manager.findOneBy(AccountSnapshot, { accountId }))?.settings;
  }
}
