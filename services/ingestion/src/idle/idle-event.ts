import type { AccountUpdated, ConversationIdle } from '@leadline/contracts';
import type { Conversation } from '../conversations/conversation.entity';
import type { Message } from '../conversations/message.entity';

/** The `conversation.idle` payload: the whole transcript and what the channel may capture. */
export function conversationIdlePayload(
  conversation: Conversation, messages: Message[], account: AccountUpdated | undefined, appUrl: string, now: Date,
): ConversationIdle {
  const channel = account?.channels.find((c) => c.kind === conversation.channel);
  const since = conversation.lastIdleAt?.getTime() ?? 0;
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
    newMessageIds: messages.filter((message) => message.createdAt.getTime() > since).map((message) => message.id),
    conversationUrl: `${appUrl.replace(/\/$/, '')}/conversations/${conversation.id}`,
    idleAt: now.toISOString(),
  };
}
