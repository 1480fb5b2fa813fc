import { Type } from 'class-transformer';
import {
  Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches,
  MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { IDENTIFIER_KINDS, type IdentifierKind } from '@leadline/contracts';
import { ATTRIBUTE_KEY, ATTRIBUTE_TYPES, type AttributeType } from './attribute-value';

const MAX_ATTRIBUTES_PER_REQUEST = 50;

export class AttributeInputDto {
  @Matches(ATTRIBUTE_KEY, { message: 'key must be lower-case letters, digits and _ (up to 64), starting with a letter' })
  key!: string;

  @IsIn(ATTRIBUTE_TYPES) type!: AttributeType;

  /** Checked against `type` by the service (class-validator has no "one of these types" rule); null removes it. */
  @Allow() value!: unknown;
}

export class SetAttributesDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ATTRIBUTES_PER_REQUEST)
  @ValidateNested({ each: true }) @Type(() => AttributeInputDto)
  attributes!: AttributeInputDto[];
}

export class RecordEventDto {
  /** The sender's id for the event: a retry with the same id is recorded once. */
  @IsOptional() @IsUUID() id?: string;
  @IsString() @MinLength(1) @MaxLength(100) name!: string;
  /** When it happened; now if not given. */
  @IsOptional() @IsISO8601({ strict: true }) occurredAt?: string;
  /** Anything about it, such as the page's URL and title; at most 8 KB as JSON. */
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}

export class IdentifierRefDto {
  @IsIn(IDENTIFIER_KINDS) kind!: IdentifierKind;
  @IsString() @MaxLength(320) value!: string;
}

/** An event for whichever contact holds this identifier (the widget's device id, an email ...). */
export class RecordEventByIdentifierDto extends RecordEventDto {
  @ValidateNested() @Type(() => IdentifierRefDto) identifier!: IdentifierRefDto;
}

export class EventsPageQuery {
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @Matches(/^([1-9]|[1-9]\d|100)$/, { message: 'limit must be a whole number from 1 to 100' }) limit?: string;
}

export class SetCompanyDto {
  /** The business's own id for the company. */
  @IsString() @MinLength(1) @MaxLength(200) companyId!: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTRIBUTES_PER_REQUEST)
  @ValidateNested({ each: true }) @Type(() => AttributeInputDto)
  attributes?: AttributeInputDto[];
}
