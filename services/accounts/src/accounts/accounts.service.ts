import { AccountUpdatedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiKeysService } from '../access/api-keys.service';
import { MembersService } from '../members/members.service';
import { Account } from './account.entity';
import { accountUpdatedPayload } from './account-event';
import type { AccountSettingsDto, ChannelSettingDto, CreateAccountDto } from './account.dto';
import { ChannelSetting } from './channel-setting.entity';

export interface AccountView extends Account {
  channels: ChannelSetting[];
}

/** An account as an agent sees it: no identity secret, no SMS auth tokens. */
export function withoutSecrets(account: AccountView): Omit<AccountView, 'identitySecret'> {
  const { identitySecret: _secret, ...rest } = account;
  return { ...rest, channels: account.channels.map((channel) => ({ ...channel, authToken: null })) };
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox, private readonly members: MembersService,
    private readonly apiKeys: ApiKeysService) {}

  async create(dto: CreateAccountDto): Promise<AccountView & { members: unknown[]; apiKey: { id: string; key: string } }> {
    return this.unitOfWork.run(async (tx) => {
      const account = tx.create(Account, {
        id: uuidv7(),
        name: dto.name,
        domain: dto.domain.toLowerCase(),
        active: dto.active ?? true,
        timeZone: dto.timeZone ?? 'UTC',
        defaultPhoneRegion: dto.defaultPhoneRegion ?? 'US',
        idleWindowSeconds: dto.idleWindowSeconds ?? 180,
        matchingPolicy: dto.matchingPolicy ?? 'standard',
        fillFields: dto.fillFields ?? ['postalCode'],
        sharedIdentifierLimit: dto.sharedIdentifierLimit ?? 3,
        identitySecret: newIdentitySecret(),
        version: 1,
      });
      await tx.save(account);
      const channels = await this.saveChannels(tx, account.id, dto.channels);
      await this.outbox.add(tx, AccountUpdatedEvent, accountUpdatedPayload(account, channels), account.id);
      const members = [];
      for (const member of dto.members) members.push(await this.members.addIn(tx, account.id, member));
      const apiKey = await this.apiKeys.createIn(tx, account.id, 'first key');
      return { ...account, channels, members, apiKey: { id: apiKey.id, key: apiKey.key } };
    });
  }

  async get(accountId: string): Promise<AccountView> {
    const account = await this.dataSource.manager.findOneBy(Account, { id: accountId });
    if (!account) throw new NotFoundException('account not found');
    const channels = await this.dataSource.manager.findBy(ChannelSetting, { accountId });
    return { ...account, channels };
  }

  async update(accountId: string, dto: AccountSettingsDto, channels?: ChannelSettingDto[]): Promise<AccountView> {
    return this.unitOfWork.run(async (tx) => {
      const account = await tx.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundException('account not found');
      Object.assign(account!, Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)));
      if (dto.domain) account.domain = dto.domain.toLowerCase();
      account!.version += 1;
      await tx.save(account!);
      let saved = await tx.findBy(ChannelSetting, { accountId });
      if (channels) {
        await tx.delete(ChannelSetting, { accountId });
        saved = await this.saveChannels(tx, accountId, channels);
      }
      await this.outbox.add(tx, AccountUpdatedEvent, accountUpdatedPayload(account!, saved), accountId);
      return { ...account!, channels: saved };
    });
  }

  /** A new identity secret: identities signed with the old one stop verifying once services hear of it. */
  rotateIdentitySecret(accountId: string): Promise<{ identitySecret: string; version: number }> {
    return this.unitOfWork.run(async (tx) => {
      const account = await tx.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundException('account not found');
      account.identitySecret = newIdentitySecret();
      account.version += 1;
      await tx.save(account);
      await this.outbox.add(tx, AccountUpdatedEvent, accountUpdatedPayload(account, await tx.findBy(ChannelSetting, { accountId })), accountId);
      return { identitySecret: account.identitySecret, version: account.version };
    });
  }

  private async saveChannels(tx: EntityManager, accountId: string, channels: ChannelSettingDto[]): Promise<ChannelSetting[]> {
    const rows = channels.map((channel) => tx.create(ChannelSetting, {
      id: uuidv7(), accountId, kind: channel.kind, address: channel.address, captureLeads: channel.captureLeads,
      captureFields: channel.captureFields, authToken: channel.authToken ?? null,
    }));
    try {
      return await tx.save(rows);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictException('a channel address (widget key, number or email) is already used by an account');
      }
      throw error;
    }
  }
}

/** 256 random bits, hex: what the business signs its users' ids with (HMAC-SHA256). */
function newIdentitySecret(): string {
  return randomBytes(32).toString('hex');
}
