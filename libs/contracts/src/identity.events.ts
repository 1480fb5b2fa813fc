import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateIf, ValidateNested,
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

/** Where a new contact came from: a visitor's conversation, a CSV import, or another system through the API. */
export const CONTACT_ORIGINS = ['conversation', 'import', 'api'] as const;
export type ContactOrigin = (typeof CONTACT_ORIGINS)[number];

/** Events published before `origin` existed all came from a conversation. */
const fromConversation = (event: ContactCreated): boolean => (event.origin ?? 'conversation') === 'conversation';

/** A contact.created that came from a conversation, so its conversation fields are there. */
export type ConversationContactCreated = ContactCreated &
  Required<Pick<ContactCreated, 'conversationId' | 'channel' | 'conversationUrl' | 'summary' | 'signals'>>;

/** For consumers: true when the new contact came from a conversation (not an import or the API). */
export function isFromConversation(event: ContactCreated): event is ConversationContactCreated {
  return fromConversation(event);
}

/**
 * A brand-new contact. From a conversation (origin absent or `conversation`) it carries the conversation and
 * its summary; a contact imported from CSV or created through the API (`import`, `api`) has no conversation,
 * so those fields are absent.
 */
export class ContactCreated extends AccountScoped {
  @IsUUID() contactId!: string;

  @ValidateNested() @Type(() => ContactSnapshotDto)
  contact!: ContactSnapshotDto;

  @IsOptional() @IsIn(CONTACT_ORIGINS) origin?: ContactOrigin;

  @ValidateIf(fromConversation) @IsUUID() conversationId?: string;
  @ValidateIf(fromConversation) @IsIn(CHANNELS) channel?: Channel;
  @ValidateIf(fromConversation) @IsString() @MaxLength(2000) conversationUrl?: string;
  @ValidateIf(fromConversation) @IsString() @MaxLength(2000) summary?: string;

  @ValidateIf(fromConversation) @ValidateNested() @Type(() => QualificationSignalsDto)
  signals?: QualificationSignalsDto;

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
  /** The contact's conversations, so services that keep their messages can erase them too. */
  @IsOptional() @IsArray() @IsUUID('all', { each: true }) conversationIds?: string[];
  @IsISO8601() erasedAt!: string;
}

export class ContactsMerged extends AccountScoped {
  @IsUUID() mergeId!: string;
  @IsUUID() survivorContactId!: string;
  @IsUUID() mergedContactId!: string;
  @ValidateNested() @Type(() => ContactSnapshotDto) survivor!: ContactSnapshotDto;
  /** The merged contact's conversations, now the survivor's. */
  @IsOptional() @IsArray() @IsUUID('all', { each: true }) conversationIds?: string[];
  @IsISO8601() mergedAt!: string;
}

/** A merge was undone (within 30 days): the merged contact is back with what it brought. */
export class ContactsUnmerged extends AccountScoped {
  @IsUUID() mergeId!: string;
  @IsUUID() survivorContactId!: string;
  @IsUUID() restoredContactId!: string;
  @ValidateNested() @Type(() => ContactSnapshotDto) survivor!: ContactSnapshotDto;
  @ValidateNested() @Type(() => ContactSnapshotDto) restored!: ContactSnapshotDto;
  /** The conversations that went back to the restored contact. */
  @IsArray() @IsUUID('all', { each: true }) conversationIds!: string[];
  @IsISO8601() unmergedAt!: string;
}

export const ContactCreatedEvent = defineEvent('IDENTITY', 1, 'contact.created', ContactCreated,
  'A brand-new contact was created from a conversation (with its summary), a CSV import or the API (origin).');
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
export const ContactsUnmergedEvent = defineEvent('IDENTITY', 1, 'contacts.unmerged', ContactsUnmerged,
  'A merge was undone: point what the merged contact had (its conversations, leads) back at it.');
