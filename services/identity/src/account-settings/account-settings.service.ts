import { AccountUpdatedEvent, type AccountUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountSettings, DEFAULT_ACCOUNT_SETTINGS } from './account-settings.entity';

@Injectable()
export class AccountSettingsService {
  @OnEvent(AccountUpdatedEvent, { purpose: 'account-settings' })
  async onAccountUpdated(event: ReceivedEvent<AccountUpdated>, tx: EntityManager): Promise<void> {
    const a = event.data;
    await tx.query(
      `INSERT INTO account_settings (account_id, version, matching_policy, fill_fields, shared_identifier_limit, identity_secret, default_phone_region)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version, matching_policy = EXCLUDED.matching_policy,
         fill_fields = EXCLUDED.fill_fields, shared_identifier_limit = EXCLUDED.shared_identifier_limit,
         identity_secret = EXCLUDED.identity_secret, default_phone_region = EXCLUDED.default_phone_region
       WHERE account_settings.version < EXCLUDED.version`,
      [a.accountId, a.version, a.matchingPolicy, a.fillFields, a.sharedIdentifierLimit, a.identitySecret, a.defaultPhoneRegion],
    );
  }

  /** The account's identity secret (identify signatures); undefined until the account's settings arrived. */
  async identitySecretOf(tx: EntityManager, accountId: string): Promise<string | undefined> {
    return (await tx.findOneBy(AccountSettings, { accountId }))?.identitySecret;
  }

  async forAccount(tx: EntityManager, accountId: string): Promise<Omit<AccountSettings, 'identitySecret' | 'version'>> {
    return (await tx.findOneBy(AccountSettings, { accountId })) ?? { accountId, ...DEFAULT_ACCOUNT_SETTINGS };
  }
}
