import type { AccountUpdated } from '@leadline/contracts';
import type { Account } from './account.entity';
import type { ChannelSetting } from './channel-setting.entity';

/** The full state of an account as its `account.updated` event carries it. */
export function accountUpdatedPayload(account: Account, channels: ChannelSetting[]): AccountUpdated {
  return {
    accountId: account.id,
    name: account.name,
    domain: account.domain,
    active: account.active,
    timeZone: account.timeZone,
    defaultPhoneRegion: account.defaultPhoneRegion,
    idleWindowSeconds: account.idleWindowSeconds,
    matchingPolicy: account.matchingPolicy,
    fillFields: account.fillFields,
    sharedIdentifierLimit: account.sharedIdentifierLimit,
    identitySecret: account.identitySecret,
    channels: channels.map((channel) => ({
      kind: channel.kind,
      address: channel.address,
      captureLeads: channel.captureLeads,
      captureFields: channel.captureFields,
      ...(channel.authToken ? { authToken: channel.authToken } : {}),
    })),
    version: account.version,
  };
}
