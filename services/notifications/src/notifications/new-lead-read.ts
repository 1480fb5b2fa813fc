import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import {
  TRACK_LEAD, trackConversationsFrom, trackLeadValues, type TrackedLead,
} from '../conversations/conversation-directory';
import {
  recipientsAndSetupOf, recipientsAndSetupSql, type RecipientsAndSetup, type RecipientsAndSetupRow,
} from './recipients-and-setup';

/**
 * What a lead.created does before anyone is told, in one statement instead of four: the lead and its conversation
 * tracked (what later lead events and messages show), who hears about a new lead in that conversation, and the
 * account's setup. Every identified conversation opens a lead, so this runs for nearly every one. The rules are
 * the single-purpose ones (`TRACK_LEAD`, `trackConversationsFrom`, `recipientsAndSetupSql`).
 */
const NEW_LEAD = `
  WITH lead AS (${TRACK_LEAD}),
  conversation AS (${trackConversationsFrom(
    'SELECT $4::uuid, $2::uuid, $5::text, $3::uuid, $7::text, $10::text, $8::jsonb, $9::text WHERE $4::uuid IS NOT NULL')})
  ${recipientsAndSetupSql('$2::uuid', 'array_remove(ARRAY[$4::uuid], NULL)')}`;

/** Tracks a new lead (and its conversation, with its link) and reads who to tell and the account's setup. */
export async function trackNewLead(
  tx: EntityManager, accountId: string, lead: TrackedLead, conversationUrl: string | null,
): Promise<RecipientsAndSetup> {
  const [row] = await queryPrepared<RecipientsAndSetupRow>(tx, NEW_LEAD, [...trackLeadValues(accountId, lead), conversationUrl]);
  return recipientsAndSetupOf(row!);
}
