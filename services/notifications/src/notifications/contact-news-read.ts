import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { contactNewsValues, trackContactNewsSql, type ContactNews } from '../conversations/conversation-directory';
import {
  recipientsAndSetupOf, recipientsAndSetupSql, type RecipientsAndSetup, type RecipientsAndSetupRow,
} from './recipients-and-setup';

/**
 * What a match or a later summary of a contact records, with who hears about news of some conversations ($9) and
 * the account's setup, in one statement instead of four (`trackContactNewsSql`, `recipientsAndSetupSql`).
 */
const CONTACT_NEWS = trackContactNewsSql(recipientsAndSetupSql('$2::uuid', '$9::uuid[]'));

export async function trackContactNews(tx: EntityManager, news: ContactNews, concerned: string[]): Promise<RecipientsAndSetup> {
  const [row] = await queryPrepared<RecipientsAndSetupRow>(tx, CONTACT_NEWS, [...contactNewsValues(news), concerned]);
  return recipientsAndSetupOf(row!);
}
