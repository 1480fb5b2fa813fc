import { BaseServiceConfig } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class IngestionConfig extends BaseServiceConfig {
  /** How often the idle scheduler looks for conversations whose visitor went quiet. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(60_000)
  IDLE_SCAN_INTERVAL_MS: number = 1000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  IDLE_SCAN_BATCH: number = 200;

  /**
   * The public base URL providers call this service at (scheme, host and any path prefix a proxy strips), e.g.
   * `https://hooks.example.com/ingestion`: Twilio signs the URL it called, which the service cannot see behind a
   * proxy. Unset: the request's own URL (X-Forwarded-Proto/Host honoured).
   */
  @IsOptional() @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'must be an http(s) URL without query, e.g. https://hooks.example.com/ingestion' })
  PUBLIC_WEBHOOK_URL?: string;

  /** How far a signed voice/email webhook's timestamp may be from now. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  WEBHOOK_TOLERANCE_SECONDS: number = 300;

  /** How long a replica reuses a channel route it read (widget key, number, address to account); 0 turns it off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60_000)
  ROUTE_CACHE_MS: number = 1000;

  /** How long a web chat visitor session lasts without a shutdown. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(24 * 90)
  WEBCHAT_SESSION_TTL_HOURS: number = 24 * 30;
}
