import { accountSetupOf, accountSetupSql, type AccountSetup, type AccountSetupRow } from '../accounts/local-accounts';
import { recipientsForSql, recipientOf, type Recipient, type RecipientRow } from '../members/team-directory';

/** Who to tell about news of some conversations, and the account's setup: what a statement that tracks news reads last. */
export interface RecipientsAndSetup {
  /** Who hears about news of the given conversations ("All events", and followers on "Only my events"). */
  recipients: Recipient[];
  account: AccountSetup;
}

export type RecipientsAndSetupRow = AccountSetupRow & { recipients: RecipientRow[] };

/** The final SELECT of such a statement (SQL expressions for the account and a uuid[] of conversations). */
export function recipientsAndSetupSql(account: string, conversations: string): string {
  return `SELECT (SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY r.member_id), '[]')
      FROM (${recipientsForSql(account, conversations)}) r) AS recipients,
    account.*
  FROM (${accountSetupSql(account)}) AS account`;
}

export function recipientsAndSetupOf(row: RecipientsAndSetupRow): RecipientsAndSetup {
  return { recipients: row.recipients.map(recipientOf), account: accountSetupOf(row) };
}
