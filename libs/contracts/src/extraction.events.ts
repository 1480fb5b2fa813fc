import { Type } from 'class-transformer';
import {
  IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  AccountScoped, CaptureSettingsDto, CHANNELS, ExtractedFieldsDto, IdentifierDto, QualificationSignalsDto,
  type Channel,
} from './common';
import { defineEvent } from './event-definition';

export class ConversationAnalyzed extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsIn(CHANNELS) channel!: Channel;
  @IsInt() @Min(1) cycle!: number;

  @IsArray() @ValidateNested({ each: true }) @Type(() => IdentifierDto)
  identifiers!: IdentifierDto[];

  @IsOptional() @IsUUID() contactId?: string | null;

  @ValidateNested() @Type(() => CaptureSettingsDto)
  capture!: CaptureSettingsDto;

  @IsString() @Matches(/^[A-Z]{2}$/) defaultRegion!: string;

  @IsInt() @Min(0) visitorMessageCount!: number;

  /** Only what the visitor explicitly shared, limited to the channel's capture fields; possibly empty. */
  @ValidateNested() @Type(() => ExtractedFieldsDto)
  fields!: ExtractedFieldsDto;

  @IsString() @MaxLength(2000) summary!: string;

  @ValidateNested() @Type(() => QualificationSignalsDto)
  signals!: QualificationSignalsDto;

  @IsIn(['rules', 'llm']) extractor!: 'rules' | 'llm';
  @IsString() @MaxLength(2000) conversationUrl!: string;
  @IsISO8601() analyzedAt!: string;
}

export const ConversationAnalyzedEvent = defineEvent('EXTRACTION', 1, 'conversation.analyzed',
  ConversationAnalyzed, 'What the visitor shared and wanted in one idle cycle of a conversation.');
