import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { accountSetupOf, accountSetupSql, type AccountSetup, type AccountSetupRow } from '../accounts/local-accounts';
import { contactNewsValues, trackContactNewsSql, type ContactNews } from '../conversations/conversation-directory';
import { recipientsForSql, recipientOf, type Recipient, type RecipientRow } from '../members/team-directory';

/**
 * What a match or a later summary of a contact records, with who hears about news of some conversations ($9) and
 * the account's setup, in one statement instead of four (`trackContactNewsSql`, `recipientsForSql`, `accountSetupSql`).
 */
const CONTACT_NEWS = trackContactNewsSql(`
  SELECT (SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY r.member_id), '[]')
      FROM (${recipientsForSql('$2::uuid', '$9::uuid[]')}) r) AS recipients,
    account.*
  FROM (${accountSetupSql('$2::uuid')}) AS account`);

export interface ContactNewsRead {
  /** Who hears about news of the given conversations ("All events", and followers on "Only my events"). */
  recipients: Recipient[];
  account: AccountSetup;
}

export async function trackContactNews(tx: EntityManager, news: ContactNews, concerned: string[]): Promise<ContactNewsRead> {
  const [row] = await queryPrepared<AccountSetupRow & { recipients: RecipientRow[] }>(tx, CONTACT_NEWS,
    [...contactNewsValues(news), concerned]);
  return { recipients: row!.recipients.map(recipientOf), account: accountSetupOf(row!) };
}
