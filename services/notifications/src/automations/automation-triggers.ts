import {
  ContactSummaryCreatedEvent, LeadScoredEvent, LeadStatusChangedEvent, type ContactSummaryCreated, type LeadScored,
  type LeadStatusChanged,
} from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LocalAccounts } from '../accounts/local-accounts';
import { ConversationDirectory, type TrackedLead } from '../conversations/conversation-directory';
import { trackContactNews } from '../notifications/contact-news-read';
import { contactName } from '../notifications/notification-titles';
import { AutomationRunner, type TriggerContext } from './automation-runner';

/**
 * Events that notify nobody by default and only run automations: a summary of a later idle cycle of a linked
 * conversation, a lead's status change, a new score.
 */
@Injectable()
export class AutomationTriggers {
  constructor(
    private readonly runner: AutomationRunner,
    private readonly accounts: LocalAccounts,
    private readonly conversations: ConversationDirectory,
  ) {}

  @OnEvent(ContactSummaryCreatedEvent, { purpose: 'automation-summary-created' })
  async onSummaryCreated(event: ReceivedEvent<ContactSummaryCreated>, tx: EntityManager): Promise<void> {
    const s = event.data;
    const name = contactName(s.contact);
    // Nobody is told by default: the read's recipients (of no conversation) go unused; its account setup is kept.
    const { account } = await trackContactNews(tx, { conversationId: s.conversationId, accountId: s.accountId, channel: s.channel,
      contactId: s.contactId, displayName: name, conversationUrl: s.conversationUrl, contact: s.contact, summary: s.summary }, []);
    this.accounts.know(tx, s.accountId, account);
    if (!account.notifies) return;
    await this.runner.run(tx, {
      trigger: 'contact_summary_created', accountId: s.accountId, eventId: event.id, name, contact: { ...s.contact },
      summary: s.summary, conversationUrl: s.conversationUrl, channel: s.channel, conversationId: s.conversationId,
      contactId: s.contactId, details: [`A new communication summary (cycle ${s.cycle})`],
      facts: { channel: s.channel, cycle: s.cycle, intent: s.signals.intent, urgency: s.signals.urgency },
    });
  }

  @OnEvent(LeadStatusChangedEvent, { purpose: 'automation-lead-status' })
  async onStatusChanged(event: ReceivedEvent<LeadStatusChanged>, tx: EntityManager): Promise<void> {
    const change = event.data;
    if (!(await this.accounts.notifies(tx, change.accountId))) return;
    const lead = await this.conversations.findLead(tx, change.accountId, change.leadId);
    await this.runner.run(tx, {
      ...this.leadContext(change.accountId, change.contactId, lead), trigger: 'lead_status_changed', eventId: event.id,
      details: [`Lead status changed from ${change.from} to ${change.to}`],
      facts: { status: change.to, fromStatus: change.from, active: change.active, channel: lead?.channel ?? null,
        score: lead?.score ?? null },
    });
  }

  @OnEvent(LeadScoredEvent, { purpose: 'automation-lead-scored' })
  async onScored(event: ReceivedEvent<LeadScored>, tx: EntityManager): Promise<void> {
    const scored = event.data;
    await this.conversations.scoreLead(tx, scored.accountId, scored.leadId, scored.score);
    if (!(await this.accounts.notifies(tx, scored.accountId))) return;
    const lead = await this.conversations.findLead(tx, scored.accountId, scored.leadId);
    await this.runner.run(tx, {
      ...this.leadContext(scored.accountId, scored.contactId, lead), trigger: 'lead_scored', eventId: event.id,
      details: [`Lead score is now ${scored.score} (${scored.source})`],
      facts: { score: scored.score, source: scored.source, channel: lead?.channel ?? null },
    });
  }

  /**
   * A lead event carries ids only: the contact's name, fields, summary and conversation come from what lead.created
   * (and later matches and summaries of the contact) told us.
   */
  private leadContext(accountId: string, contactId: string, lead: TrackedLead | undefined):
    Omit<TriggerContext, 'trigger' | 'eventId' | 'details' | 'facts'> {
    const name = lead?.displayName ?? 'a lead';
    return {
      accountId, name, contact: lead?.contact ?? (lead?.displayName ? { displayName: lead.displayName } : {}),
      summary: lead?.summary ?? null,
      conversationUrl: lead?.conversationId ? this.conversations.urlOf(lead.conversationId) : null,
      channel: lead?.channel ?? null, conversationId: lead?.conversationId ?? null, contactId,
    };
  }
}
