import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { accountSetupOf, accountSetupSql, type AccountSetup, type AccountSetupRow } from '../accounts/local-accounts';
import {
  TRACK_LEAD, trackConversationsFrom, trackLeadValues, type TrackedLead,
} from '../conversations/conversation-directory';
import { recipientsForSql, recipientOf, type Recipient, type RecipientRow } from '../members/team-directory';

/**
 * What a lead.created does before anyone is told, in one statement instead of four: the lead and its conversation
 * tracked (what later lead events and messages show), who hears about a new lead in that conversation, and the
 * account's setup. Every identified conversation opens a lead, so this runs for nearly every one. The rules are
 * the single-purpose ones (`TRACK_LEAD`, `trackConversationsFrom`, `recipientsForSql`, `accountSetupSql`).
 */
const NEW_LEAD = `
  WITH lead AS (${TRACK_LEAD}),
  conversation AS (${trackConversationsFrom(
    'SELECT $4::uuid, $2::uuid, $5::text, $3::uuid, $7::text, $10::text, $8::jsonb, $9::text WHERE $4::uuid IS NOT NULL')})
  SELECT (SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY r.member_id), '[]')
      FROM (${recipientsForSql('$2::uuid', 'array_remove(ARRAY[$4::uuid], NULL)')}) r) AS recipients,
    account.*
  FROM (${accountSetupSql('$2::uuid')}) AS account`;

export interface NewLeadRead {
  /** Who hears about a new lead in its conversation ("All events", and followers on "Only my events"). */
  recipients: Recipient[];
  account: AccountSetup;
}

/** Tracks a new lead (and its conversation, with its link) and reads who to tell and the account's setup. */
export async function trackNewLead(tx: EntityManager, accountId: string, lead: TrackedLead, conversationUrl: string | null): Promise<NewLeadRead> {
  const [row] = await queryPrepared<AccountSetupRow & { recipients: RecipientRow[] }>(tx, NEW_LEAD,
    [...trackLeadValues(accountId, lead), conversationUrl]);
  return { recipients: row!.recipients.map(recipientOf), account: accountSetupOf(row!) };
}
