import { NOTIFICATION_KINDS, type NotificationKind } from '@leadline/contracts';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUrl } from 'class-validator';

const URL_RULE = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const KINDS_MESSAGE = `kinds must be a list of ${NOTIFICATION_KINDS.join(', ')} (empty: all)`;

export class CreateWebhookEndpointDto {
  @IsUrl(URL_RULE, { message: 'url must be an http(s) URL' })
  url!: string;

  /** The notification kinds sent to it; empty or absent: all of them. Automations call it whatever its kinds. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsIn(NOTIFICATION_KINDS, { each: true, message: KINDS_MESSAGE })
  kinds?: NotificationKind[];
}

export class UpdateWebhookEndpointDto {
  @IsOptional() @IsUrl(URL_RULE, { message: 'url must be an http(s) URL' })
  url?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsIn(NOTIFICATION_KINDS, { each: true, message: KINDS_MESSAGE })
  kinds?: NotificationKind[];

  /** true switches a disabled endpoint back on (and resets its failure count); false switches it off. */
  @IsOptional() @IsBoolean()
  active?: boolean;
}
