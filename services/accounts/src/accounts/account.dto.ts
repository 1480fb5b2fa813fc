import {
  CHANNELS, CONTACT_FIELDS, MATCHING_POLICIES, type Channel, type ContactField, type MatchingPolicy,
} from '@leadline/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { CreateMemberDto } from '../members/member.dto';
import { IsChannelAddress, IsChannelSecret, IsPhoneRegion, IsTimeZone } from './account-rules';

export class ChannelSettingDto {
  @IsIn(CHANNELS)
  kind!: Channel;

  /** Widget key (webchat), E.164 number (sms, voice) or email address (email). */
  @IsString() @Length(1, 320) @IsChannelAddress()
  address!: string;

  @IsOptional() @IsBoolean()
  captureLeads: boolean = true;

  @IsOptional() @IsArray() @IsIn(CONTACT_FIELDS, { each: true })
  captureFields: ContactField[] = [...CONTACT_FIELDS];

  /**
   * The secret the channel's webhooks are checked with: the Twilio auth token (sms), the signing secret of the
   * voice and email relays. Required for those (without it every inbound message would be refused); a web chat
   * widget has none.
   */
  @IsChannelSecret()
  authToken?: string;
}

export class AccountSettingsDto {
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone()
  timeZone?: string;

  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'defaultPhoneRegion must be an ISO 3166 alpha-2 code such as US' }) @IsPhoneRegion()
  defaultPhoneRegion?: string;

  @IsOptional() @IsInt() @Min(1) @Max(86_400)
  idleWindowSeconds?: number;

  @IsOptional() @IsIn(MATCHING_POLICIES)
  matchingPolicy?: MatchingPolicy;

  @IsOptional() @IsArray() @IsIn(CONTACT_FIELDS, { each: true })
  fillFields?: ContactField[];

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  sharedIdentifierLimit?: number;

  @IsOptional() @IsBoolean()
  active?: boolean;

  @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @IsOptional() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: 'domain must be a host name such as example.com' })
  domain?: string;
}

export class CreateAccountDto extends AccountSettingsDto {
  @IsString() @Length(1, 200)
  declare name: string;

  @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: 'domain must be a host name such as example.com' })
  declare domain: string;

  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ChannelSettingDto)
  channels: ChannelSettingDto[] = [];

  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => CreateMemberDto)
  members: CreateMemberDto[] = [];
}
