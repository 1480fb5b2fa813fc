import type { Channel, IdentifierDto, MessageAuthor } from '@leadline/contracts';
import type { MessageAttachment } from './message.entity';

/** A message as any channel hands it over, before it is stored. */
export interface InboundMessage {
  accountId: string;
  channel: Channel;
  /** Device id, phone number, call id or email thread. */
  visitorKey: string;
  identifiers: IdentifierDto[];
  /** The account's channel it came in on (widget key, number, address); replies leave it out. */
  channelAddress?: string | null;
  /** The account's idle window; looked up when not given. */
  idleWindowSeconds?: number;
  providerMessageId: string;
  author: MessageAuthor;
  memberId?: string | null;
  text: string;
  sentAt: Date;
  subject?: string | null;
  quotedText?: string | null;
  signatureText?: string | null;
  attachments?: MessageAttachment[];
}

export interface RecordedMessage {
  conversationId: string;
  messageId: string;
  /** The provider id was seen before: nothing was stored. */
  duplicate: boolean;
}

export interface RecordedBatch {
  conversationId: string;
  /** Ids of the messages stored now, in the order given. */
  messageIds: string[];
  /** How many were repeats of messages already stored. */
  duplicates: number;
}
