import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID,
  Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

export const CHANNELS = ['webchat', 'sms', 'voice', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const IDENTIFIER_KINDS = ['device', 'email', 'phone', 'external_user'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const MESSAGE_AUTHORS = ['visitor', 'ai', 'agent'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

/** Every event names the account (tenant) it belongs to. */
export abstract class AccountScoped {
  @IsUUID()
  accountId!: string;
}

/** Something that points at one contact, as the channel or the visitor gave it. */
export class IdentifierDto {
  @IsIn(IDENTIFIER_KINDS)
  kind!: IdentifierKind;

  @IsString() @MaxLength(320)
  value!: string;

  @IsBoolean()
  verified!: boolean;
}

/** Whether the channel captures leads, and which fields it keeps. */
export class CaptureSettingsDto {
  @IsBoolean()
  captureLeads!: boolean;

  @IsArray() @IsIn(CONTACT_FIELDS, { each: true })
  fields!: ContactField[];
}

export class TranscriptMessageDto {
  @IsUUID()
  messageId!: string;

  @IsIn(MESSAGE_AUTHORS)
  author!: MessageAuthor;

  @IsOptional() @IsUUID()
  memberId?: string;

  @IsString() @MaxLength(100_000)
  text!: string;

  @IsISO8601()
  sentAt!: string;
}

export class FieldEvidenceDto {
  @IsString()
  messageId!: string;

  @IsInt() @Min(0)
  start!: number;

  @IsInt() @Min(0)
  end!: number;
}

export class ExtractedValueDto {
  @IsString() @MaxLength(500)
  value!: string;

  @IsNumber() @Min(0) @Max(1)
  confidence!: number;

  @ValidateNested() @Type(() => FieldEvidenceDto)
  evidence!: FieldEvidenceDto;
}

/** The contact fields the visitor shared; a missing key means nothing was captured. */
export class ExtractedFieldsDto {
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) firstName?: ExtractedValueDto;
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) lastName?: ExtractedValueDto;
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) email?: ExtractedValueDto;
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) phone?: ExtractedValueDto;
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) address?: ExtractedValueDto;
  @IsOptional() @ValidateNested() @Type(() => ExtractedValueDto) postalCode?: ExtractedValueDto;
}

/** What the leads service needs to compute a qualification score. */
export class QualificationSignalsDto {
  @IsIn(['none', 'low', 'medium', 'high'])
  intent!: 'none' | 'low' | 'medium' | 'high';

  @IsIn(['none', 'low', 'high'])
  urgency!: 'none' | 'low' | 'high';

  @IsBoolean()
  budgetMentioned!: boolean;

  @IsBoolean()
  sizeMentioned!: boolean;

  @IsOptional() @IsIn(['phone', 'email', 'sms'])
  preferredContact?: 'phone' | 'email' | 'sms' | null;

  @IsNumber() @Min(0) @Max(1)
  contactCompleteness!: number;
}

/** The contact as consumers need it, so nobody has to ask identity. */
export class ContactSnapshotDto {
  @IsUUID()
  contactId!: string;

  @IsIn(['lead', 'user'])
  role!: 'lead' | 'user';

  /** Name, else email, else phone: what a notification title shows. */
  @IsString() @MaxLength(300)
  displayName!: string;

  @IsOptional() @IsString() @MaxLength(200) firstName?: string | null;
  @IsOptional() @IsString() @MaxLength(200) lastName?: string | null;

  @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  emails!: string[];

  @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  phones!: string[];

  @IsOptional() @IsString() @MaxLength(500) address?: string | null;
  @IsOptional() @IsString() @MaxLength(20) postalCode?: string | null;
}
