import {
  ContactCreatedEvent, ContactMatchedEvent, LeadCreatedEvent, type ContactCreated, type ContactMatched, type LeadReason,
} from '@leadline/contracts';
import { OnEvent, Outbox, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { qualificationScore } from '../scoring/qualification-score';
import { LeadHistoryEntry, type LeadHistoryKind } from './lead-history.entity';
import { Lead } from './lead.entity';

/** Opens leads from identity's verdicts: one active lead per contact, a new one only when all past ones are final. */
@Injectable()
export class LeadOpening {
  constructor(private readonly outbox: Outbox) {}

  @OnEvent(ContactCreatedEvent, { purpose: 'open-lead-for-new-contact' })
  async onContactCreated(event: ReceivedEvent<ContactCreated>, tx: EntityManager): Promise<void> {
    await this.open(tx, event.data, 'new_contact', []);
  }

  @OnEvent(ContactMatchedEvent, { purpose: 'open-lead-for-returning-contact' })
  async onContactMatched(event: ReceivedEvent<ContactMatched>, tx: EntityManager): Promise<void> {
    const matched = event.data;
    const active = await tx.findOneBy(Lead, { accountId: matched.accountId, contactId: matched.contactId, active: true });
    if (active) {
      await history(tx, active, 'conversation', {
        conversationId: matched.conversationId, conversationUrl: matched.conversationUrl, channel: matched.channel,
        summary: matched.summary,
      });
      return;
    }
    const past = await tx.find(Lead, { where: { accountId: matched.accountId, contactId: matched.contactId }, order: { createdAt: 'ASC' } });
    await this.open(tx, matched, 'returning_contact', past.map((lead) => lead.id));
  }

  private async open(tx: EntityManager, source: ContactCreated | ContactMatched, reason: LeadReason, previousLeadIds: string[]): Promise<void> {
    const now = new Date();
    const score = qualificationScore(source.signals);
    const lead = tx.create(Lead, {
      id: uuidv7(), accountId: source.accountId, contactId: source.contactId, status: 'new', active: true, reason,
      score, scoreSource: 'ai', agentId: null, channel: source.channel, conversationId: source.conversationId,
      conversationUrl: source.conversationUrl, summary: source.summary, displayName: source.contact.displayName,
      contact: source.contact, createdAt: now, updatedAt: now,
    });
    await tx.insert(Lead, lead);
    await history(tx, lead, 'created', { status: 'new', reason, score, conversationId: source.conversationId, summary: source.summary });
    if (previousLeadIds.length > 0) await history(tx, lead, 'past_leads', { leadIds: previousLeadIds });
    await this.outbox.add(tx, LeadCreatedEvent, {
      accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, status: 'new', reason,
      contact: source.contact, summary: source.summary, conversationId: source.conversationId,
      conversationUrl: source.conversationUrl, channel: source.channel, score, previousLeadIds, createdAt: now.toISOString(),
    }, lead.id);
  }
}

async function history(tx: EntityManager, lead: Lead, kind: LeadHistoryKind, data: Record<string, unknown>): Promise<void> {
  const entry: LeadHistoryEntry = {
    id: uuidv7(), accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, kind, data, createdAt: new Date(),
  };
  await tx.getRepository(LeadHistoryEntry).insert(entry as never);
}
