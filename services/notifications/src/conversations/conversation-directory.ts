import type { Channel } from '@leadline/contracts';
import { queryPrepared } from '@leadline/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import type { NotificationsConfig } from '../notifications.config';

/** The contact's fields (a contact snapshot) and the latest summary, as the last event about them said. */
export interface KnownContact {
  contact: Record<string, unknown> | null;
  summary: string | null;
}

export interface TrackedConversation extends KnownContact {
  conversationId: string;
  accountId: string;
  channel: Channel | null;
  contactId: string | null;
  displayName: string | null;
  conversationUrl: string;
}

export interface TrackedLead extends KnownContact {
  leadId: string;
  contactId: string;
  conversationId: string | null;
  channel: Channel | null;
  score: number | null;
  displayName: string | null;
}

export interface ConversationRow {
  conversation_id: string; account_id: string; channel: Channel | null; contact_id: string | null; display_name: string | null;
  conversation_url: string | null; contact: Record<string, unknown> | null; summary: string | null;
}

const CONVERSATION_COLUMNS = 'conversation_id, account_id, channel, contact_id, display_name, conversation_url, contact, summary';

/**
 * Records what events say about conversations, rows taken from `source` (a VALUES list or a SELECT of the eight
 * columns below, one row per conversation): a null never erases what is known, and a conversation of another
 * account is left alone and not returned.
 */
export function trackConversationsFrom(source: string): string {
  return `INSERT INTO tracked_conversations (conversation_id, account_id, channel, contact_id, display_name, conversation_url,
      contact, summary)
    ${source}
    ON CONFLICT (conversation_id) DO UPDATE SET channel = COALESCE(EXCLUDED.channel, tracked_conversations.channel),
      contact_id = COALESCE(EXCLUDED.contact_id, tracked_conversations.contact_id),
      display_name = COALESCE(EXCLUDED.display_name, tracked_conversations.display_name),
      conversation_url = COALESCE(EXCLUDED.conversation_url, tracked_conversations.conversation_url),
      contact = COALESCE(EXCLUDED.contact, tracked_conversations.contact),
      summary = COALESCE(EXCLUDED.summary, tracked_conversations.summary)
    WHERE tracked_conversations.account_id = EXCLUDED.account_id
    RETURNING ${CONVERSATION_COLUMNS}`;
}

/** A lead as lead.created told it ($1 to $9 in the order of trackLeadValues); a lead is told once. */
export const TRACK_LEAD = `INSERT INTO tracked_leads (lead_id, account_id, contact_id, conversation_id, channel, score, display_name,
    contact, summary)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) ON CONFLICT (lead_id) DO NOTHING`;

export function trackLeadValues(accountId: string, lead: TrackedLead): unknown[] {
  return [lead.leadId, accountId, lead.contactId, lead.conversationId, lead.channel, lead.score, lead.displayName,
    lead.contact ? JSON.stringify(lead.contact) : null, lead.summary];
}

/**
 * What an event with news of a contact (a match, a later idle cycle) records, in one statement: its conversation
 * tracked ($1 to $8: conversation, account, channel, contact, display name, link, contact snapshot, summary), and
 * the contact's tracked leads shown with the newer snapshot and summary from now on. `then` is the statement's
 * final SELECT, for a caller that reads in the same round trip.
 */
export function trackContactNewsSql(then: string): string {
  return `WITH conversation AS (${trackConversationsFrom(
    'VALUES ($1::uuid, $2::uuid, $3::text, $4::uuid, $5::text, $6::text, $7::jsonb, $8::text)')}),
  refreshed AS (UPDATE tracked_leads SET display_name = $5, contact = $7::jsonb, summary = $8 WHERE account_id = $2 AND contact_id = $4)
  ${then}`;
}

export interface ContactNews {
  conversationId: string; accountId: string; channel: Channel; contactId: string; displayName: string;
  conversationUrl: string; contact: object; summary: string;
}

export function contactNewsValues(c: ContactNews): unknown[] {
  return [c.conversationId, c.accountId, c.channel, c.contactId, c.displayName, c.conversationUrl, JSON.stringify(c.contact), c.summary];
}

interface LeadRow {
  lead_id: string; contact_id: string; conversation_id: string | null; channel: Channel | null; score: number | null;
  display_name: string | null; contact: Record<string, unknown> | null; summary: string | null;
}

/**
 * What notifications knows about conversations and leads from the events it sees, so that a later event that
 * names only a lead or a conversation (a status change, an inbound message) can still say whose it is.
 */
@Injectable()
export class ConversationDirectory {
  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  /** The link to a conversation when an event does not carry one. */
  urlOf(conversationId: string): string {
    return `${this.config.PUBLIC_APP_URL.replace(/\/$/, '')}/conversations/${conversationId}`;
  }

  async find(tx: EntityManager, accountId: string, conversationId: string): Promise<TrackedConversation | undefined> {
    const [row] = await queryPrepared<ConversationRow>(tx,
      `SELECT ${CONVERSATION_COLUMNS} FROM tracked_conversations WHERE account_id = $1 AND conversation_id = $2`,
      [accountId, conversationId],
    );
    return row && this.trackedOf(row);
  }

  /** A tracked row as read (by `find`, or by a statement built on `trackConversationsFrom`). */
  trackedOf(row: ConversationRow): TrackedConversation {
    return {
      conversationId: row.conversation_id, accountId: row.account_id, channel: row.channel, contactId: row.contact_id,
      displayName: row.display_name, conversationUrl: row.conversation_url ?? this.urlOf(row.conversation_id),
      contact: row.contact, summary: row.summary,
    };
  }

  async scoreLead(tx: EntityManager, accountId: string, leadId: string, score: number): Promise<void> {
    await queryPrepared(tx, `UPDATE tracked_leads SET score = $3 WHERE account_id = $1 AND lead_id = $2`, [accountId, leadId, score]);
  }

  async findLead(tx: EntityManager, accountId: string, leadId: string): Promise<TrackedLead | undefined> {
    const [row] = await queryPrepared<LeadRow>(tx,
      `SELECT lead_id, contact_id, conversation_id, channel, score, display_name, contact, summary FROM tracked_leads
       WHERE account_id = $1 AND lead_id = $2`, [accountId, leadId],
    );
    return row ? {
      leadId: row.lead_id, contactId: row.contact_id, conversationId: row.conversation_id, channel: row.channel,
      score: row.score, displayName: row.display_name, contact: row.contact, summary: row.summary,
    } : undefined;
  }
}
