import { MemberRemovedEvent, MemberUpsertedEvent, type MemberRemoved, type MemberUpserted } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TeamMember } from './team-member.entity';

export interface Recipient {
  memberId: string;
  email: string;
  name: string;
}

export interface RecipientRow {
  member_id: string;
  email: string;
  name: string;
}

export function recipientOf(row: RecipientRow): Recipient {
  return { memberId: row.member_id, email: row.email, name: row.name };
}

/**
 * "Member m follows one of these conversations" (an SQL uuid[]): a follow row (sent a message, followed or
 * unfollowed by hand) wins; without one, the account's salesperson follows every conversation, past and future.
 * One test per member, so a member who follows two of them (or follows and is on "All events") is still one recipient.
 */
function followsSql(conversations: string): string {
  return `EXISTS (SELECT 1 FROM unnest(${conversations}) AS c(id)
    LEFT JOIN conversation_followers f ON f.conversation_id = c.id AND f.member_id = m.member_id
    WHERE COALESCE(f.following, m.salesperson))`;
}

/** Active members of the account (an SQL expression) who meet the condition, by member id. */
function membersWhereSql(account: string, condition: string): string {
  return `SELECT m.member_id, m.email, m.name FROM team_members m
    WHERE m.account_id = ${account} AND m.active AND ${condition}
    ORDER BY m.member_id`;
}

/**
 * Who hears about news of some conversations (SQL expressions for the account and a uuid[] of conversations: a new
 * lead's; a new conversation and the original it was linked to): "All events" members, and "Only my events" members
 * who follow one of them. Inactive members and "off" hear nothing.
 */
export function recipientsForSql(account: string, conversations: string): string {
  return membersWhereSql(account, `(m.preference = 'all' OR (m.preference = 'mine' AND ${followsSql(conversations)}))`);
}

/**
 * The members who hear about a new inbound message in a conversation (SQL expressions for the account and the
 * conversation): its followers, active, unless their preference is off. Ordered by member.
 */
export function followersToTellSql(account: string, conversation: string): string {
  return membersWhereSql(account, `m.preference <> 'off' AND ${followsSql(`ARRAY[${conversation}]::uuid[]`)}`);
}

@Injectable()
export class TeamDirectory {
  @OnEvent(MemberUpsertedEvent, { purpose: 'team-member-upserted' })
  async onMemberUpserted(event: ReceivedEvent<MemberUpserted>, tx: EntityManager): Promise<void> {
    const m = event.data;
    // A preference chosen here (preference_set_at) is the member's own choice: account events keep it.
    await tx.query(
      `INSERT INTO team_members (member_id, account_id, email, name, role, active, salesperson, preference, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (member_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role,
         active = EXCLUDED.active, salesperson = EXCLUDED.salesperson, version = EXCLUDED.version,
         preference = CASE WHEN team_members.preference_set_at IS NULL THEN EXCLUDED.preference ELSE team_members.preference END
       WHERE team_members.version < EXCLUDED.version AND team_members.account_id = EXCLUDED.account_id`,
      [m.memberId, m.accountId, m.email, m.name, m.role, m.active, m.salesperson, m.notificationPreference, m.version],
    );
  }

  @OnEvent(MemberRemovedEvent, { purpose: 'team-member-removed' })
  async onMemberRemoved(event: ReceivedEvent<MemberRemoved>, tx: EntityManager): Promise<void> {
    await tx.delete(TeamMember, { memberId: event.data.memberId, accountId: event.data.accountId });
    await tx.query(`DELETE FROM conversation_followers WHERE member_id = $1 AND account_id = $2`,
      [event.data.memberId, event.data.accountId]);
    // Someone who left the team gets no more mail, not even what was queued for them before.
    await tx.query(
      `UPDATE deliveries SET status = 'cancelled', claim_token = NULL, lease_until = NULL,
         last_error = 'cancelled: the member left the account'
       WHERE account_id = $2 AND channel = 'email' AND recipient = $1::text AND status IN ('pending', 'sending')`,
      [event.data.memberId, event.data.accountId]);
  }

  /** Who hears about a new inbound message: the conversation's followers, unless their preference is off. */
  async followersToTell(tx: EntityManager, accountId: string, conversationId: string): Promise<Recipient[]> {
    const rows = await queryPrepared<RecipientRow>(tx, followersToTellSql('$1', '$2'), [accountId, conversationId]);
    return rows.map(recipientOf);
  }

  /** Members an automation chose, as long as they are active and have not turned notifications off. */
  chosenMembers(tx: EntityManager, accountId: string, memberIds: string[]): Promise<Recipient[]> {
    return this.select(tx, `m.preference <> 'off' AND m.member_id = ANY($2::uuid[])`, [accountId, memberIds]);
  }

  /** Active members of the account ($1) who meet the condition. */
  private async select(tx: EntityManager, condition: string, params: [accountId: string, ...rest: unknown[]]): Promise<Recipient[]> {
    const rows = await queryPrepared<RecipientRow>(tx, membersWhereSql('$1', condition), params);
    return rows.map(recipientOf);
  }
}
