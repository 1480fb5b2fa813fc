import {
  ContactMatchedEvent, LeadCreatedEvent, type ContactMatched, type LeadCreated,
} from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LocalAccounts } from '../accounts/local-accounts';
import { AutomationRunner } from '../automations/automation-runner';
import { ConversationDirectory } from '../conversations/conversation-directory';
import { DeliveryScheduler } from '../deliveries/delivery-scheduler';
import { trackContactNews } from './contact-news-read';
import { trackNewLead } from './new-lead-read';
import { contactName, LABELS, titleOf } from './notification-titles';
import { NotificationWriter } from './notification-writer';
import type { Occurrence } from './occurrence';

/** "New Lead" for brand-new contacts, "Conversation Update" for a new conversation of a known one. */
@Injectable()
export class LeadNotifier {
  constructor(
    private readonly writer: NotificationWriter,
    private readonly accounts: LocalAccounts,
    private readonly conversations: ConversationDirectory,
    private readonly deliveries: DeliveryScheduler,
    private readonly automations: AutomationRunner,
  ) {}

  /**
   * The default notification is written before the automations, so a member it told is not told again by a rule
   * about the same event (one notification per member and event).
   */
  @OnEvent(LeadCreatedEvent, { purpose: 'notify-new-lead' })
  async onLeadCreated(event: ReceivedEvent<LeadCreated>, tx: EntityManager): Promise<void> {
    const lead = event.data;
    const name = contactName(lead.contact);
    const conversationId = lead.conversationId ?? null;
    const conversationUrl = lead.conversationUrl ?? (conversationId ? this.conversations.urlOf(conversationId) : null);
    const summary = lead.summary ?? null;
    const { recipients, account } = await trackNewLead(tx, lead.accountId, {
      leadId: lead.leadId, contactId: lead.contactId, conversationId, channel: lead.channel ?? null,
      score: lead.score ?? null, displayName: name, contact: { ...lead.contact }, summary,
    }, conversationUrl);
    this.accounts.know(tx, lead.accountId, account); // for the announcement and the automations below
    if (!account.notifies) return;
    const base = { contact: { ...lead.contact }, summary, conversationUrl, channel: lead.channel ?? null };
    if (lead.reason === 'new_contact') { // returning contacts are told as Conversation Update
      const occurrence: Occurrence = {
        accountId: lead.accountId, kind: 'new_lead', topic: 'new_lead', sourceEventId: event.id, causeEventId: event.id,
        title: titleOf(LABELS.new_lead, name), conversationId, contactId: lead.contactId,
        body: { label: LABELS.new_lead, name, details: [], ...base, leadId: lead.leadId, score: lead.score ?? null },
      };
      await this.writer.notify(tx, occurrence, recipients);
      await this.deliveries.announce(tx, occurrence);
    }
    await this.automations.run(tx, {
      trigger: 'lead_created', accountId: lead.accountId, eventId: event.id, conversationId, contactId: lead.contactId,
      facts: { status: lead.status, reason: lead.reason, channel: lead.channel ?? null, score: lead.score ?? null },
      name, details: [`Lead status: ${lead.status}`], ...base,
    });
  }

  @OnEvent(ContactMatchedEvent, { purpose: 'notify-conversation-update' })
  async onContactMatched(event: ReceivedEvent<ContactMatched>, tx: EntityManager): Promise<void> {
    const matched = event.data;
    const name = contactName(matched.contact);
    const linked = linkedConversations(matched, this.conversations);
    // "Only my events": the news is the new conversation's and, for a duplicate, the original one's it was linked to.
    const concerned = [matched.conversationId, ...linked.map((l) => l.conversationId)];
    const { recipients, account } = await trackContactNews(tx, { conversationId: matched.conversationId,
      accountId: matched.accountId, channel: matched.channel, contactId: matched.contactId, displayName: name,
      conversationUrl: matched.conversationUrl, contact: matched.contact, summary: matched.summary }, concerned);
    this.accounts.know(tx, matched.accountId, account); // for the announcement and the automations below
    if (!account.notifies) return;
    const details = linked.length > 0
      ? [`This new conversation was linked to ${name}'s original conversation ${linked[0]!.url}`]
      : [`Matched to ${name} by ${matched.matchedBy}`];
    const base = { contact: { ...matched.contact }, summary: matched.summary, conversationUrl: matched.conversationUrl,
      channel: matched.channel };
    const occurrence: Occurrence = {
      accountId: matched.accountId, kind: 'conversation_update', topic: 'conversation_update', sourceEventId: event.id,
      causeEventId: event.id, title: titleOf(LABELS.conversation_update, name), conversationId: matched.conversationId,
      contactId: matched.contactId,
      body: { label: LABELS.conversation_update, name, details, ...base, matchedBy: matched.matchedBy,
        duplicateConversation: matched.duplicateConversation, linkedConversations: linked },
    };
    await this.writer.notify(tx, occurrence, recipients);
    await this.deliveries.announce(tx, occurrence);
    await this.automations.run(tx, {
      trigger: 'contact_matched', accountId: matched.accountId, eventId: event.id, conversationId: matched.conversationId,
      contactId: matched.contactId, facts: { channel: matched.channel, matchedBy: matched.matchedBy }, name, details, ...base,
    });
  }
}

/** For a duplicate conversation: the contact's original conversation and this one, each with its link. */
function linkedConversations(matched: ContactMatched, directory: ConversationDirectory): { conversationId: string; url: string }[] {
  if (!matched.duplicateConversation || !matched.originalConversationId) return [];
  return [
    { conversationId: matched.originalConversationId, url: directory.urlOf(matched.originalConversationId) },
    { conversationId: matched.conversationId, url: matched.conversationUrl },
  ];
}
