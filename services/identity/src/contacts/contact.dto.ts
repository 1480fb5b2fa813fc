import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

const NAME_LENGTH = 200;
const ADDRESS_LENGTH = 500;
const POSTAL_CODE_LENGTH = 20;
const MAX_IDENTIFIERS = 20;

/** A contact created by hand (a member) or by one of the business's systems (an API key). */
export class CreateContactDto {
  @IsOptional() @IsString() @MaxLength(NAME_LENGTH) firstName?: string;
  @IsOptional() @IsString() @MaxLength(NAME_LENGTH) lastName?: string;
  @IsOptional() @IsString() @MaxLength(ADDRESS_LENGTH) address?: string;
  @IsOptional() @IsString() @MaxLength(POSTAL_CODE_LENGTH) postalCode?: string;
  /** Any format; stored lower-cased. */
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_IDENTIFIERS) @IsString({ each: true }) emails?: string[];
  /** Any format; stored in E.164, national numbers in the account's default phone region. */
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_IDENTIFIERS) @IsString({ each: true }) phones?: string[];
}

/** Only the fields sent change; `null` clears one. A lower-ranked source cannot change a higher one's value. */
export class UpdateContactDto {
  @IsOptional() @IsString() @MaxLength(NAME_LENGTH) firstName?: string | null;
  @IsOptional() @IsString() @MaxLength(NAME_LENGTH) lastName?: string | null;
  @IsOptional() @IsString() @MaxLength(ADDRESS_LENGTH) address?: string | null;
  @IsOptional() @IsString() @MaxLength(POSTAL_CODE_LENGTH) postalCode?: string | null;
}

/** Identifiers that may be added by hand; an external user id is only added (verified) by POST /v1/identify. */
export const ADDABLE_KINDS = ['email', 'phone', 'device'] as const;

export class AddIdentifierDto {
  @IsIn(ADDABLE_KINDS, { message: 'kind must be email, phone or device (external user ids are added, verified, by POST /v1/identify)' })
  kind!: (typeof ADDABLE_KINDS)[number];

  @IsString() @MaxLength(320) value!: string;
}
