import { BaseServiceConfig } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class IngestionConfig extends BaseServiceConfig {
  /** How often the idle scheduler looks for conversations whose visitor went quiet. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(60_000)
  IDLE_SCAN_INTERVAL_MS: number = 1000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  IDLE_SCAN_BATCH: number = 200;
}
