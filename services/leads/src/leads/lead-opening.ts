import {
  ContactCreatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, LeadCreatedEvent, type Channel, type ContactCreated,
  type ContactMatched, type ContactSnapshotDto, type ContactSummaryCreated, type LeadReason, type LeadStatus,
  type QualificationSignalsDto,
} from '@leadline/contracts';
import { OnEvent, Outbox, RetryLater, type ReceivedEvent } from '@leadline/messaging';
import { queryEntities, queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ContactDirectory } from '../contacts/contact-directory';
import { LeadChanges } from '../lifecycle/lead-changes';
import { decideAiScore } from '../lifecycle/lead-rules';
import { qualificationScore } from '../scoring/qualification-score';
import { addHistory, historyInsertSql } from '../timeline/history';
import { searchTextOf } from './contact-text';
import { Lead } from './lead.entity';

/** Everything a new lead starts from; the conversation part is absent for imports and integrations. */
export interface LeadOpeningInput {
  accountId: string;
  contact: ContactSnapshotDto;
  reason: LeadReason;
  status?: LeadStatus;
  score?: number | null;
  scoreSource?: 'ai' | 'manual' | null;
  agentId?: string | null;
  channel?: Channel | null;
  conversationId?: string | null;
  conversationUrl?: string | null;
  summary?: string | null;
  previousLeadIds: string[];
  openedBy?: string | null;
}

type ConversationEvent = ContactCreated | ContactMatched | ContactSummaryCreated;

/** From identity's `origin`: a CSV import, another system through identity's API, or (absent) a conversation. */
function reasonOfCreated(created: ContactCreated): LeadReason {
  if (created.origin === 'import') return 'import';
  if (created.origin === 'api') return 'api';
  return 'new_contact';
}

/** Opens leads from identity's verdicts: one active lead per contact, a new one only when all past ones are final. */
@Injectable()
export class LeadOpening {
  constructor(private readonly outbox: Outbox, private readonly contacts: ContactDirectory, private readonly changes: LeadChanges) {}

  @OnEvent(ContactCreatedEvent, { purpose: 'open-lead-for-new-contact' })
  async onContactCreated(event: ReceivedEvent<ContactCreated>, tx: EntityManager): Promise<void> {
    await this.onConversation(tx, event.data, reasonOfCreated(event.data));
  }

  @OnEvent(ContactMatchedEvent, { purpose: 'open-lead-for-returning-contact' })
  async onContactMatched(event: ReceivedEvent<ContactMatched>, tx: EntityManager): Promise<void> {
    await this.onConversation(tx, event.data, 'returning_contact', event.finalAttempt);
  }

  /** A later idle cycle of a linked conversation: its summary joins the timeline and its signals may raise the AI score. */
  @OnEvent(ContactSummaryCreatedEvent, { purpose: 'add-summary-to-lead' })
  async onSummaryCreated(event: ReceivedEvent<ContactSummaryCreated>, tx: EntityManager): Promise<void> {
    const summary = event.data;
    const where = await this.contacts.rememberWhereHere(tx, summary.accountId, { ...summary.contact, contactId: summary.contactId },
      new Date(summary.createdAt));
    if (where.kind === 'erased') return;
    const lead = await this.activeLead(tx, summary.accountId, where.contactId)
      ?? await tx.findOne(Lead, { where: { accountId: summary.accountId, contactId: where.contactId }, order: { createdAt: 'DESC' } });
    if (!lead) return;
    await this.joinConversation(tx, lead, summary, { cycle: summary.cycle, summaryId: summary.summaryId });
  }

  /** Opens a lead and publishes lead.created in the caller's transaction. */
  async open(tx: EntityManager, input: LeadOpeningInput): Promise<Lead> {
    const now = new Date();
    const status = input.status ?? 'new';
    const lead = tx.create(Lead, {
      id: uuidv7(), accountId: input.accountId, contactId: input.contact.contactId, status, active: true, reason: input.reason,
      score: input.score ?? null, scoreSource: input.score == null ? null : (input.scoreSource ?? 'ai'), agentId: input.agentId ?? null,
      channel: input.channel ?? null, conversationId: input.conversationId ?? null, conversationUrl: input.conversationUrl ?? null,
      summary: input.summary ?? null, displayName: input.contact.displayName, contact: input.contact,
      searchText: searchTextOf(input.contact), closedReason: null, createdAt: now, updatedAt: now,
    });
    await insertWithHistory(tx, lead, {
      status, reason: input.reason, score: lead.score, scoreSource: lead.scoreSource, agentId: lead.agentId,
      conversationId: lead.conversationId, conversationUrl: lead.conversationUrl, channel: lead.channel, summary: lead.summary,
      by: input.openedBy ?? null,
    });
    if (input.previousLeadIds.length > 0) await addHistory(tx, lead, 'past_leads', { leadIds: input.previousLeadIds }, now);
    await this.outbox.add(tx, LeadCreatedEvent, {
      accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, status, reason: input.reason,
      contact: input.contact, summary: lead.summary, conversationId: lead.conversationId,
      conversationUrl: lead.conversationUrl, channel: lead.channel, score: lead.score, previousLeadIds: input.previousLeadIds,
      createdAt: now.toISOString(),
    }, lead.id);
    return lead;
  }

  /**
   * Serialises everything that may open a lead for one contact (events, the API) until the transaction ends, so
   * two of them never both see "no active lead" and collide on the one-active-lead index.
   */
  async lockContact(tx: EntityManager, contactId: string): Promise<void> {
    await queryPrepared(tx, 'SELECT pg_advisory_xact_lock(hashtext($1))', [openingLock(contactId)]);
  }

  async activeLead(tx: EntityManager, accountId: string, contactId: string): Promise<Lead | null> {
    return tx.findOne(Lead, { where: { accountId, contactId, active: true }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * All of a contact's leads in one read (a handful at most), locked: the active one, if any, and the ids of all of
   * them in the order they were opened (what a new lead's history names when there is no active one).
   */
  async contactLeads(tx: EntityManager, accountId: string, contactId: string): Promise<{ active: Lead | undefined; pastIds: string[] }> {
    const leads = await queryEntities(tx, Lead, CONTACT_LEADS, [accountId, contactId]);
    return { active: leads.find((lead) => lead.active), pastIds: leads.map((lead) => lead.id) };
  }

  /**
   * A conversation of a contact: with an active lead it joins that lead's timeline; with none (all past leads
   * final) it opens a new lead whose history names the past ones. A contact merged away meanwhile counts as its
   * survivor; an erased one is left alone.
   */
  private async onConversation(
    tx: EntityManager, source: ContactCreated | ContactMatched, reason: LeadReason, finalAttempt = true,
  ): Promise<void> {
    // The contact's lock is taken with the look-up: most contacts are where the event says (not merged away).
    const where = await this.contacts.rememberWhereHere(tx, source.accountId, { ...source.contact, contactId: source.contactId },
      new Date(eventTime(source)), openingLock(source.contactId));
    if (where.kind === 'erased') return;
    const redirected = where.contactId !== source.contactId;
    if (redirected) await this.lockContact(tx, where.contactId);
    const { active, pastIds: past } = await this.contactLeads(tx, source.accountId, where.contactId);
    if (active) return this.joinConversation(tx, active, source, {});
    if (past.length === 0 && reason === 'returning_contact' && !finalAttempt) {
      // Every contact gets its first lead from its contact.created, which another consumer handles: this match came
      // first. That lead is a New Lead of the contact's own conversation, not a returning visitor's: wait for it.
      throw new RetryLater(`contact ${where.contactId} has no lead yet: waiting for its identity.v1.contact.created`);
    }
    const contact = redirected ? await this.survivorSnapshot(tx, where.contactId) ?? source.contact : source.contact;
    await this.open(tx, {
      accountId: source.accountId, contact: { ...contact, contactId: where.contactId },
      reason: past.length > 0 ? 'returning_contact' : reason, score: scoreOf(source.signals), scoreSource: 'ai',
      channel: source.channel ?? null, conversationId: source.conversationId ?? null, conversationUrl: source.conversationUrl ?? null,
      summary: source.summary ?? null, previousLeadIds: past,
    });
  }

  private async joinConversation(tx: EntityManager, lead: Lead, source: ConversationEvent, extra: Record<string, unknown>): Promise<void> {
    await addHistory(tx, lead, 'conversation', {
      conversationId: source.conversationId, conversationUrl: source.conversationUrl, channel: source.channel,
      summary: source.summary, ...extra,
    });
    const score = scoreOf(source.signals);
    if (score === null) return;
    // Signals add up across conversations (a budget stated once stays stated), so the AI score only rises.
    const decision = decideAiScore(lead, Math.max(score, lead.scoreSource === 'ai' ? lead.score ?? 0 : 0));
    if (decision.kind === 'apply') {
      await this.changes.score(tx, lead, decision.change, null, { conversationId: source.conversationId });
    }
  }

  private async survivorSnapshot(tx: EntityManager, contactId: string): Promise<ContactSnapshotDto | null> {
    const rows = await queryPrepared<{ snapshot: ContactSnapshotDto }>(tx, 'SELECT snapshot FROM contact_directory WHERE contact_id = $1', [contactId]);
    return rows[0]?.snapshot ?? null;
  }
}

/** A contact's leads, oldest first, locked (what opening a lead decides on). */
const CONTACT_LEADS = 'SELECT * FROM leads WHERE account_id = $1 AND contact_id = $2 ORDER BY created_at FOR UPDATE';

/**
 * A new lead and its "created" history entry in one statement: opened for nearly every conversation, so written
 * without TypeORM's insert builder and in one round trip instead of two.
 */
const INSERT_LEAD_WITH_HISTORY = `WITH lead AS (
    INSERT INTO leads (id, account_id, contact_id, status, active, reason, score, score_source, agent_id, channel,
      conversation_id, conversation_url, summary, display_name, contact, search_text, closed_reason, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18, $19))
  ${historyInsertSql('$20', '$2', '$1', '$3', `'created'`, '$21', '$18')}`;

async function insertWithHistory(tx: EntityManager, lead: Lead, created: Record<string, unknown>): Promise<void> {
  await queryPrepared(tx, INSERT_LEAD_WITH_HISTORY, [
    lead.id, lead.accountId, lead.contactId, lead.status, lead.active, lead.reason, lead.score, lead.scoreSource, lead.agentId,
    lead.channel, lead.conversationId, lead.conversationUrl, lead.summary, lead.displayName, JSON.stringify(lead.contact),
    lead.searchText, lead.closedReason, lead.createdAt, lead.updatedAt, uuidv7(), JSON.stringify(created),
  ]);
}

/** The advisory lock that serialises opening leads for one contact (see lockContact). */
function openingLock(contactId: string): string {
  return `leads:open:${contactId}`;
}

function scoreOf(signals: QualificationSignalsDto | null | undefined): number | null {
  return signals ? qualificationScore(signals) : null;
}

function eventTime(source: ContactCreated | ContactMatched): string {
  return 'matchedAt' in source ? source.matchedAt : source.createdAt;
}
