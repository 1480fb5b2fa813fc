import type { ContactField, MatchingPolicy } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Identity's copy of what it needs from an account: how to match and what a match may fill. */
@Entity('account_settings')
export class AccountSettings {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId!: string;
  @Column('int') version!: number;
  @Column('text', { name: 'matching_policy' }) matchingPolicy!: MatchingPolicy;
  @Column('text', { name: 'fill_fields', array: true }) fillFields!: ContactField[];
  @Column('int', { name: 'shared_identifier_limit' }) sharedIdentifierLimit!: number;
  @Column('text', { name: 'identity_secret' }) identitySecret!: string;
  /** ISO 3166 alpha-2 region a phone number without a country code belongs to. */
  @Column('text', { name: 'default_phone_region' }) defaultPhoneRegion!: string;
}

/** Until the account's settings arrive, the product's defaults apply. */
export const DEFAULT_ACCOUNT_SETTINGS: Omit<AccountSettings, 'accountId' | 'identitySecret' | 'version'> = {
  matchingPolicy: 'standard',
  fillFields: ['postalCode'],
  sharedIdentifierLimit: 3,
  defaultPhoneRegion: 'US',
};
