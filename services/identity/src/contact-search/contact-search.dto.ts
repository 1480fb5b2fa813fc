import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class ContactSearchQuery {
  /** Any case; exact address. */
  @IsOptional() @IsString() @MaxLength(320) email?: string;
  /** Any format ("(555) 123-4567", "+1 555 123 4567"): matched in E.164. */
  @IsOptional() @IsString() @MaxLength(64) phone?: string;
  /** Case-insensitive prefix of the first name, the last name or "first last". */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @Matches(/^([1-9]|[1-9]\d|100)$/, { message: 'limit must be a whole number from 1 to 100' }) limit?: string;
}
