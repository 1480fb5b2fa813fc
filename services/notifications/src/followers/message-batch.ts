import type { MessageReceived } from '@leadline/contracts';
import { runBatchStatement, type BatchStatement, type ReceivedEvent } from '@leadline/messaging';
import { withGenericPlan } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { type ConversationRow, trackConversationsFrom } from '../conversations/conversation-directory';
import { accountSetupOf, accountSetupSql, type AccountSetup, type AccountSetupRow } from '../accounts/local-accounts';
import { followersToTellSql, recipientOf, type Recipient, type RecipientRow } from '../members/team-directory';

/** What handling a message needs to know about its conversation, read for the whole batch at once. */
export interface MessageContext {
  /** The conversation as now tracked; undefined when it is another account's. */
  tracked: ConversationRow | undefined;
  /** Who hears about a visitor's message; undefined once the batch itself changed who follows (read again then). */
  followers: Recipient[] | undefined;
  /** The conversation's account: whether it notifies, its endpoints and automations. */
  account: AccountSetup;
}

interface ContextRow extends AccountSetupRow {
  conversation_id: string;
  tracked: ConversationRow | null;
  followers: RecipientRow[] | null;
}

/**
 * One statement per batch instead of four per message (track the conversation; who follows it; the account's
 * setup: is it active, which webhooks listen): a message consumer sees every visitor's and agent's message, the
 * busiest stream of all. The rules are the ones the single-message reads use (`trackConversationsFrom`,
 * `followersToTellSql`, `accountSetupSql`), applied per conversation of the batch.
 */
const READ_BATCH = withGenericPlan(`
  WITH message AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS i(conversation_id, account_id, channel)
  ), tracked AS (
    ${trackConversationsFrom(`SELECT conversation_id, account_id, channel, NULL::uuid, NULL, NULL, NULL::jsonb, NULL FROM message`)}
  )
  SELECT msg.conversation_id, to_jsonb(t) AS tracked,
    (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.member_id) FROM (${followersToTellSql('msg.account_id', 'msg.conversation_id')}) r) AS followers,
    account.*
  FROM message msg
  LEFT JOIN tracked t ON t.conversation_id = msg.conversation_id
  CROSS JOIN LATERAL (${accountSetupSql('msg.account_id')}) account`);

const contexts = new WeakMap<EntityManager, Map<string, MessageContext>>();

/**
 * What the batch's messages need, read with its inbox claim (the consumer's `beforeBatch`); the AI's turns need
 * nothing. A message handled before (a redelivery) only has its conversation tracked again, as it was.
 */
export function readMessageBatch(events: ReceivedEvent<MessageReceived>[], tx: EntityManager): BatchStatement | undefined {
  // One row per conversation: an upsert cannot touch the same row twice in one statement.
  const conversations = new Map<string, MessageReceived>();
  for (const event of events) {
    if (!isAiTurn(event) && !conversations.has(event.data.conversationId)) conversations.set(event.data.conversationId, event.data);
  }
  if (conversations.size === 0) return undefined;
  const messages = [...conversations.values()];
  return {
    statement: {
      text: READ_BATCH,
      values: [messages.map((m) => m.conversationId), messages.map((m) => m.accountId), messages.map((m) => m.channel)],
    },
    answered: (rows) => remember(tx, rows as ContextRow[]),
  };
}

function remember(tx: EntityManager, rows: ContextRow[]): void {
  let known = contexts.get(tx);
  if (!known) contexts.set(tx, known = new Map());
  for (const row of rows) {
    known.set(row.conversation_id, {
      tracked: row.tracked ?? undefined, followers: (row.followers ?? []).map(recipientOf), account: accountSetupOf(row),
    });
  }
}

/** What the batch read about a message's conversation (reading it now if the batch did not). */
export async function messageContext(tx: EntityManager, event: ReceivedEvent<MessageReceived>): Promise<MessageContext> {
  const known = contexts.get(tx)?.get(event.data.conversationId);
  if (known) return known;
  await runBatchStatement(tx, readMessageBatch([event], tx));
  return contexts.get(tx)!.get(event.data.conversationId)!;
}

/** The batch changed who follows a conversation (an agent wrote in it): its next visitor message reads them again. */
export function followersChanged(tx: EntityManager, conversationId: string): void {
  const known = contexts.get(tx)?.get(conversationId);
  if (known) known.followers = undefined;
}

/**
 * The AI's turns tell nobody anything: the conversation becomes known here with its visitor's or an agent's first
 * message, or any other event about it (each carries its channel). The consumer acks them without handling them.
 */
export function isAiTurn(event: ReceivedEvent<MessageReceived>): boolean {
  return event.data.author === 'ai';
}
