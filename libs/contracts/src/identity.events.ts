import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  AccountScoped, CHANNELS, ContactSnapshotDto, IDENTIFIER_KINDS, QualificationSignalsDto, type Channel,
  type IdentifierKind,
} from './common';
import { defineEvent } from './event-definition';

/** The contact, the conversation and what the visitor wanted in it. */
abstract class ContactConversationEvent extends AccountScoped {
  @IsUUID() contactId!: string;
  @IsUUID() conversationId!: string;
  @IsIn(CHANNELS) channel!: Channel;
  @IsString() @MaxLength(2000) conversationUrl!: string;

  @ValidateNested() @Type(() => ContactSnapshotDto)
  contact!: ContactSnapshotDto;

  @IsString() @MaxLength(2000) summary!: string;

  @ValidateNested() @Type(() => QualificationSignalsDto)
  signals!: QualificationSignalsDto;
}

export class ContactCreated extends ContactConversationEvent {
  @IsISO8601() createdAt!: string;
}

/** One identifier that matched, as evidence of the match. */
export class MatchEvidenceDto {
  @IsIn(IDENTIFIER_KINDS) kind!: IdentifierKind;
  @IsString() @MaxLength(320) value!: string;
  @IsBoolean() verified!: boolean;
}

export class ContactMatched extends ContactConversationEvent {
  /** The strongest identifier kind that linked them. */
  @IsIn(IDENTIFIER_KINDS) matchedBy!: IdentifierKind;

  @IsArray() @ValidateNested({ each: true }) @Type(() => MatchEvidenceDto)
  evidence!: MatchEvidenceDto[];

  /** The conversation that first produced this contact. */
  @IsOptional() @IsUUID() originalConversationId?: string | null;

  /** True when this conversation is a new one of a known contact (it stays anonymous, linked to the original). */
  @IsBoolean() duplicateConversation!: boolean;

  /** Other contacts the claims pointed at, suggested as duplicates instead of merged. */
  @IsArray() @IsUUID('all', { each: true }) suggestedContactIds!: string[];

  @IsISO8601() matchedAt!: string;
}

export class ContactUpdated extends AccountScoped {
  @IsUUID() contactId!: string;
  @ValidateNested() @Type(() => ContactSnapshotDto) contact!: ContactSnapshotDto;
  @IsArray() @IsString({ each: true }) changedFields!: string[];
  @IsISO8601() updatedAt!: string;
}

export class ContactSummaryCreated extends ContactConversationEvent {
  @IsInt() @Min(1) cycle!: number;
  @IsUUID() summaryId!: string;
  @IsISO8601() createdAt!: string;
}

export class ContactConverted extends AccountScoped {
  @IsUUID() contactId!: string;
  @IsString() @MaxLength(320) externalUserId!: string;
  @ValidateNested() @Type(() => ContactSnapshotDto) contact!: ContactSnapshotDto;
  @IsISO8601() convertedAt!: string;
}

export class ContactErased extends AccountScoped {
  @IsUUID() contactId!: string;
  @IsISO8601() erasedAt!: string;
}

export class ContactsMerged extends AccountScoped {
  @IsUUID() mergeId!: string;
  @IsUUID() survivorContactId!: string;
  @IsUUID() mergedContactId!: string;
  @ValidateNested() @Type(() => ContactSnapshotDto) survivor!: ContactSnapshotDto;
  @IsISO8601() mergedAt!: string;
}

export const ContactCreatedEvent = defineEvent('IDENTITY', 1, 'contact.created', ContactCreated,
  'A brand-new contact was created from a conversation; carries the contact and the summary.');
export const ContactMatchedEvent = defineEvent('IDENTITY', 1, 'contact.matched', ContactMatched,
  'A new conversation was matched to an existing contact, with how it matched.');
export const ContactUpdatedEvent = defineEvent('IDENTITY', 1, 'contact.updated', ContactUpdated,
  'A contact\'s fields or identifiers changed.');
export const ContactSummaryCreatedEvent = defineEvent('IDENTITY', 1, 'contact.summary_created',
  ContactSummaryCreated, 'A conversation summary was attached to a contact (every idle cycle of a linked conversation).');
export const ContactConvertedEvent = defineEvent('IDENTITY', 1, 'contact.converted', ContactConverted,
  'A contact became a user through a verified external user id.');
export const ContactErasedEvent = defineEvent('IDENTITY', 1, 'contact.erased', ContactErased,
  'A contact was erased (right to be forgotten): remove their personal data everywhere.');
export const ContactsMergedEvent = defineEvent('IDENTITY', 1, 'contacts.merged', ContactsMerged,
  'Two contacts were merged: re-point everything of the merged one to the survivor.');
