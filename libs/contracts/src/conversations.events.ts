import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  AccountScoped, CaptureSettingsDto, CHANNELS, IdentifierDto, MESSAGE_AUTHORS, TranscriptMessageDto,
  type Channel, type MessageAuthor,
} from './common';
import { defineEvent } from './event-definition';

export class MessageReceived extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsUUID() messageId!: string;
  @IsIn(CHANNELS) channel!: Channel;
  @IsIn(MESSAGE_AUTHORS) author!: MessageAuthor;
  @IsOptional() @IsUUID() memberId?: string;
  @IsString() @MaxLength(100_000) text!: string;
  @IsISO8601() sentAt!: string;
}

export class ConversationIdle extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsIn(CHANNELS) channel!: Channel;

  /** 1 for the first quiet period, then 2, 3 ... */
  @IsInt() @Min(1) cycle!: number;

  /** The channel identity: device id, phone, email, external user. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => IdentifierDto)
  identifiers!: IdentifierDto[];

  /** The contact this conversation is already linked to, if any. */
  @IsOptional() @IsUUID() contactId?: string | null;

  @ValidateNested() @Type(() => CaptureSettingsDto)
  capture!: CaptureSettingsDto;

  @IsString() @Matches(/^[A-Z]{2}$/) defaultRegion!: string;

  /** The whole conversation, visitor, AI and agents, in order. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => TranscriptMessageDto)
  transcript!: TranscriptMessageDto[];

  /** Ids of the messages that arrived in this quiet period (span links). */
  @IsArray() @IsUUID('all', { each: true }) newMessageIds!: string[];

  @IsString() @MaxLength(2000) conversationUrl!: string;
  @IsISO8601() idleAt!: string;
}

export class ConversationClosed extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsString() @MaxLength(200) reason!: string;
  @IsISO8601() closedAt!: string;
}

export class ConversationReopened extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsIn(CHANNELS) channel!: Channel;
  @IsISO8601() reopenedAt!: string;
}

export class ConversationLinked extends AccountScoped {
  @IsUUID() conversationId!: string;
  @IsUUID() contactId!: string;
  /** A duplicate conversation stays anonymous and points at the contact's original one. */
  @IsBoolean() duplicate!: boolean;
  @IsOptional() @IsUUID() originalConversationId?: string | null;
  @IsISO8601() linkedAt!: string;
}

export const MessageReceivedEvent = defineEvent('CONVERSATIONS', 1, 'message.received', MessageReceived,
  'A message was stored: from the visitor, the AI or an agent.', 'ingestion');
export const ConversationIdleEvent = defineEvent('CONVERSATIONS', 1, 'conversation.idle', ConversationIdle,
  'The visitor went quiet for the idle window; carries the transcript.', 'ingestion');
export const ConversationClosedEvent = defineEvent('CONVERSATIONS', 1, 'conversation.closed', ConversationClosed,
  'A conversation was closed.', 'ingestion');
export const ConversationReopenedEvent = defineEvent('CONVERSATIONS', 1, 'conversation.reopened',
  ConversationReopened, 'A closed conversation got a new inbound message.', 'ingestion');
export const ConversationLinkedEvent = defineEvent('CONVERSATIONS', 1, 'conversation.linked', ConversationLinked,
  'A conversation was linked to a contact (or, as a duplicate, to its original conversation).', 'ingestion');
