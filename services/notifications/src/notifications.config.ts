import { BaseServiceConfig } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** The notifications service's own variables (documented in services/notifications/README.md). */
export class NotificationsConfig extends BaseServiceConfig {
  /** Where emails go out; without it no email deliveries are scheduled (in-app and webhooks still work). */
  @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587' })
  SMTP_URL?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) @Max(300_000)
  SMTP_TIMEOUT_MS: number = 15_000;

  /** How often the delivery worker looks for due deliveries. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(60_000)
  DELIVERY_POLL_MS: number = 250;

  /** Deliveries one worker sends at once, over all destinations. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  DELIVERY_CONCURRENCY: number = 64;

  /**
   * Deliveries one worker sends at once to one destination (the SMTP server, or one webhook endpoint; also the
   * size of the SMTP connection pool): a hanging or failing destination takes this many slots, never the others'.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  DELIVERY_CONCURRENCY_PER_DESTINATION: number = 4;

  /** Attempts before a delivery is given up as failed. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50)
  DELIVERY_MAX_ATTEMPTS: number = 8;

  /** First retry delay; it doubles with every attempt (up to one hour). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(3_600_000)
  DELIVERY_RETRY_BASE_MS: number = 5_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** Consecutive failed attempts after which a webhook endpoint is switched off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_DISABLE_AFTER: number = 10;
}
