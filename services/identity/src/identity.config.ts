import { BaseServiceConfig } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class IdentityConfig extends BaseServiceConfig {
  /** Rows one contacts CSV import may hold. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  CONTACT_IMPORT_MAX_ROWS: number = 10_000;

  /** Largest contacts CSV import accepted, in bytes (bigger files get 413). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) @Max(1_073_741_824)
  CONTACT_IMPORT_MAX_BYTES: number = 10 * 1024 * 1024;
}
