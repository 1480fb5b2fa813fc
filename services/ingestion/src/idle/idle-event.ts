import type { AccountUpdated, ConversationIdle } from '@leadline/contracts';
import type { Conversation } from '../conversations/conversation.entity';

/** A message as the idle scheduler reads it for the transcript. */
export interface IdleTranscriptMessage {
  id: string;
  author: ConversationIdle['transcript'][number]['author'];
  memberId: string | null;
  text: string;
  sentAt: Date;
  /** Stored after the conversation's last idle event, as PostgreSQL compared it (microseconds, not a JS Date's ms). */
  isNew: boolean;
  traceHeaders: Record<string, string>;
}

/**
 * The account's channel the conversation came in on, whose capture settings apply. A conversation stored before the
 * address was kept falls back to the account's first channel of its kind, as it always did.
 */
function channelOf(conversation: Conversation, account: AccountUpdated | undefined) {
  const ofKind = account?.channels.filter((c) => c.kind === conversation.channel) ?? [];
  const address = conversation.channelAddress;
  const same = (c: (typeof ofKind)[number]) => address !== null
    && (c.address === address || (c.kind === 'email' && c.address.toLowerCase() === address.toLowerCase()));
  return ofKind.find(same) ?? (address === null ? ofKind[0] : undefined);
}

/** The `conversation.idle` payload: the whole transcript and what the channel may capture. */
export function conversationIdlePayload(
  conversation: Conversation, messages: IdleTranscriptMessage[], account: AccountUpdated | undefined, appUrl: string, now: Date,
): ConversationIdle {
  const channel = channelOf(conversation, account);
  return {
    accountId: conversation.accountId,
    conversationId: conversation.id,
    channel: conversation.channel,
    cycle: conversation.idleCycle + 1,
    identifiers: conversation.identifiers,
    contactId: conversation.contactId,
    capture: {
      captureLeads: Boolean(account?.active) && (channel?.captureLeads ?? false),
      fields: channel?.captureFields ?? [],
    },
    defaultRegion: account?.defaultPhoneRegion ?? 'US',
    transcript: messages.map((message) => ({
      messageId: message.id,
      author: message.author,
      ...(message.memberId ? { memberId: message.memberId } : {}),
      text: message.text,
      sentAt: message.sentAt.toISOString(),
    })),
    newMessageIds: messages.filter((message) => message.isNew).map((message) => message.id),
    conversationUrl: `${appUrl.replace(/\/$/, '')}/conversations/${conversation.id}`,
    idleAt: now.toISOString(),
  };
}
