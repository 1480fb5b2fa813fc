import type { Channel, IdentifierDto, MessageAuthor } from '@leadline/contracts';

/** A message as any channel hands it over, before it is stored. */
export interface InboundMessage {
  accountId: string;
  channel: Channel;
  /** Device id, phone number, call id or email thread. */
  visitorKey: string;
  identifiers: IdentifierDto[];
  providerMessageId: string;
  author: MessageAuthor;
  memberId?: string | null;
  text: string;
  sentAt: Date;
}

export interface RecordedMessage {
  conversationId: string;
  messageId: string;
  /** The provider id was seen before: nothing was stored. */
  duplicate: boolean;
}
