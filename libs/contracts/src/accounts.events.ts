import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { AccountScoped, CHANNELS, CONTACT_FIELDS, type Channel, type ContactField } from './common';
import { defineEvent } from './event-definition';

export const MATCHING_POLICIES = ['standard', 'strict'] as const;
export type MatchingPolicy = (typeof MATCHING_POLICIES)[number];

export const MEMBER_ROLES = ['admin', 'agent'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const NOTIFICATION_PREFERENCES = ['all', 'mine', 'off'] as const;
export type NotificationPreference = (typeof NOTIFICATION_PREFERENCES)[number];

/** One way in: a widget key, an SMS or voice number, or an inbound email address. */
export class ChannelSettingDto {
  @IsIn(CHANNELS)
  kind!: Channel;

  /** Widget key (webchat), E.164 number (sms, voice) or email address (email). */
  @IsString() @Length(1, 320)
  address!: string;

  @IsBoolean()
  captureLeads!: boolean;

  @IsArray() @IsIn(CONTACT_FIELDS, { each: true })
  captureFields!: ContactField[];

  /** Twilio auth token for SMS signature checks; NATS permissions keep `accounts.>` to Leadline's services. */
  @IsOptional() @IsString() @MaxLength(200)
  authToken?: string;
}

export class AccountUpdated extends AccountScoped {
  @IsString() @Length(1, 200)
  name!: string;

  @IsString() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: 'domain must be a host name such as example.com' })
  domain!: string;

  @IsBoolean()
  active!: boolean;

  @IsString() @MaxLength(64)
  timeZone!: string;

  @IsString() @Matches(/^[A-Z]{2}$/, { message: 'defaultPhoneRegion must be an ISO 3166 alpha-2 code such as US' })
  defaultPhoneRegion!: string;

  @IsInt() @Min(1) @Max(86_400)
  idleWindowSeconds!: number;

  @IsIn(MATCHING_POLICIES)
  matchingPolicy!: MatchingPolicy;

  /** Fields a match may fill on an existing contact when they are blank. */
  @IsArray() @IsIn(CONTACT_FIELDS, { each: true })
  fillFields!: ContactField[];

  /** How many contacts one identifier may point at before it stops linking (a shared office phone). */
  @IsInt() @Min(1) @Max(1000)
  sharedIdentifierLimit!: number;

  /** HMAC secret for identity tokens; carried so services verify without calling accounts. */
  @IsString() @Length(16, 200)
  identitySecret!: string;

  @IsArray() @ValidateNested({ each: true }) @Type(() => ChannelSettingDto)
  channels!: ChannelSettingDto[];

  /** Increases with every change; consumers ignore an older version than the one they hold. */
  @IsInt() @Min(1)
  version!: number;
}

export class MemberUpserted extends AccountScoped {
  @IsUUID()
  memberId!: string;

  @IsEmail()
  email!: string;

  @IsString() @Length(1, 200)
  name!: string;

  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @IsBoolean()
  active!: boolean;

  /** The account's salesperson follows all of its conversations. */
  @IsBoolean()
  salesperson!: boolean;

  @IsIn(NOTIFICATION_PREFERENCES)
  notificationPreference!: NotificationPreference;

  @IsInt() @Min(1)
  version!: number;
}

export class MemberRemoved extends AccountScoped {
  @IsUUID()
  memberId!: string;
}

export const AccountUpdatedEvent = defineEvent('ACCOUNTS', 1, 'account.updated', AccountUpdated,
  'An account was created or changed: its settings and channels, in full.');
export const MemberUpsertedEvent = defineEvent('ACCOUNTS', 1, 'member.upserted', MemberUpserted,
  'A member was added to an account or changed.');
export const MemberRemovedEvent = defineEvent('ACCOUNTS', 1, 'member.removed', MemberRemoved,
  'A member left an account.');

/**
 * An API key was created. Carries only the SHA-256 of the key (the key itself is shown once to its creator and
 * never stored): every service keeps a directory of hashes fed by these events and checks keys without calling
 * accounts. A 256-bit random key cannot be recovered from its hash.
 */
export class ApiKeyIssued extends AccountScoped {
  @IsUUID()
  apiKeyId!: string;

  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'keyHash must be a hex SHA-256' })
  keyHash!: string;

  @IsString() @Length(1, 200)
  name!: string;
}

export class ApiKeyRevoked extends AccountScoped {
  @IsUUID()
  apiKeyId!: string;

  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'keyHash must be a hex SHA-256' })
  keyHash!: string;
}

export const ApiKeyIssuedEvent = defineEvent('ACCOUNTS', 1, 'api_key.issued', ApiKeyIssued,
  'An admin created an API key for an account; carries its SHA-256, never the key.');
export const ApiKeyRevokedEvent = defineEvent('ACCOUNTS', 1, 'api_key.revoked', ApiKeyRevoked,
  'An API key was revoked: no service accepts it any more.');
