import { MessageReceivedEvent, type MessageReceived } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LocalAccounts } from '../accounts/local-accounts';
import { ConversationDirectory, type TrackedConversation } from '../conversations/conversation-directory';
import { DeliveryScheduler } from '../deliveries/delivery-scheduler';
import { TeamDirectory, type Recipient } from '../members/team-directory';
import { CHANNEL_LABELS, LABELS, titleOf } from '../notifications/notification-titles';
import { NotificationWriter } from '../notifications/notification-writer';
import type { Occurrence } from '../notifications/occurrence';
import { FollowersService } from './followers.service';
import { followersChanged, isAiTurn, messageContext, readMessageBatch } from './message-batch';

/** How much of a message an inbox notification quotes. */
const EXCERPT_CHARS = 280;

/**
 * Every stored message: an agent's message makes its member follow the conversation; a visitor's message tells
 * the conversation's followers (inbox notification). A reopened conversation is just a new inbound message here.
 */
@Injectable()
export class ConversationMessages {
  constructor(
    private readonly followers: FollowersService,
    private readonly conversations: ConversationDirectory,
    private readonly team: TeamDirectory,
    private readonly accounts: LocalAccounts,
    private readonly writer: NotificationWriter,
    private readonly deliveries: DeliveryScheduler,
  ) {}

  @OnEvent(MessageReceivedEvent, { purpose: 'conversation-messages', beforeBatch: readMessageBatch, ignores: isAiTurn })
  async onMessage(event: ReceivedEvent<MessageReceived>, tx: EntityManager): Promise<void> {
    const message = event.data;
    if (isAiTurn(event)) return;
    // Tracked, with its followers and webhooks, for the whole batch at once (message-batch.ts).
    const known = await messageContext(tx, event);
    if (message.author === 'agent' && message.memberId) {
      await this.followers.followBecauseSent(tx, message.accountId, message.conversationId, message.memberId);
      followersChanged(tx, message.conversationId);
      return;
    }
    if (message.author !== 'visitor' || !known.account.notifies) return;
    this.accounts.know(tx, message.accountId, known.account); // for the webhooks' announcement
    const followers = known.followers ?? await this.team.followersToTell(tx, message.accountId, message.conversationId);
    await this.tellFollowers(tx, event.id, message, known.tracked && this.conversations.trackedOf(known.tracked), followers);
  }

  private async tellFollowers(tx: EntityManager, eventId: string, message: MessageReceived,
    conversation: TrackedConversation | undefined, followers: Recipient[]): Promise<void> {
    const name = conversation?.displayName ?? `${CHANNEL_LABELS[message.channel]} visitor`;
    const excerpt = message.text.length > EXCERPT_CHARS ? `${message.text.slice(0, EXCERPT_CHARS - 1)}…` : message.text;
    const occurrence: Occurrence = {
      accountId: message.accountId, kind: 'inbox_message', topic: 'inbox_message', sourceEventId: eventId, causeEventId: eventId,
      title: titleOf(LABELS.inbox_message, name), conversationId: message.conversationId,
      contactId: conversation?.contactId ?? null,
      body: {
        label: LABELS.inbox_message, name,
        contact: conversation?.contact ?? (conversation?.displayName ? { displayName: conversation.displayName } : {}),
        summary: conversation?.summary ?? null,
        conversationUrl: conversation?.conversationUrl ?? this.conversations.urlOf(message.conversationId),
        channel: message.channel, details: [`“${excerpt}”`], messageId: message.messageId, text: excerpt,
      },
    };
    await this.writer.notify(tx, occurrence, followers);
    await this.deliveries.announce(tx, occurrence);
  }
}
