import {
  ContactMatchedEvent, LeadCreatedEvent, type ContactMatched, type LeadCreated,
} from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { conversationUpdateTitle, newLeadTitle } from './notification-titles';
import { NotificationWriter } from './notification-writer';

/** "New Lead" for brand-new contacts, "Conversation Update" for a new conversation of a known one. */
@Injectable()
export class LeadNotifier {
  constructor(private readonly writer: NotificationWriter) {}

  @OnEvent(LeadCreatedEvent, { purpose: 'notify-new-lead' })
  async onLeadCreated(event: ReceivedEvent<LeadCreated>, tx: EntityManager): Promise<void> {
    const lead = event.data;
    if (lead.reason !== 'new_contact') return; // returning contacts are told as Conversation Update
    await this.writer.notifyTeam(tx, {
      accountId: lead.accountId, kind: 'new_lead', title: newLeadTitle(lead.contact.displayName),
      body: {
        contact: { ...lead.contact }, summary: lead.summary ?? null, conversationUrl: lead.conversationUrl ?? null,
        channel: lead.channel ?? null, leadId: lead.leadId, score: lead.score ?? null,
      },
      conversationId: lead.conversationId ?? null, contactId: lead.contactId, sourceEventId: event.id,
    });
  }

  @OnEvent(ContactMatchedEvent, { purpose: 'notify-conversation-update' })
  async onContactMatched(event: ReceivedEvent<ContactMatched>, tx: EntityManager): Promise<void> {
    const matched = event.data;
    await this.writer.notifyTeam(tx, {
      accountId: matched.accountId, kind: 'conversation_update', title: conversationUpdateTitle(matched.contact.displayName),
      body: {
        contact: { ...matched.contact }, summary: matched.summary, conversationUrl: matched.conversationUrl,
        channel: matched.channel, matchedBy: matched.matchedBy,
        linkedConversations: matched.duplicateConversation
          ? [matched.originalConversationId, matched.conversationId].filter(Boolean) : [],
      },
      conversationId: matched.conversationId, contactId: matched.contactId, sourceEventId: event.id,
    });
  }
}
