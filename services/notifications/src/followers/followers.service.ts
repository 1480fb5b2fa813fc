import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConversationDirectory } from '../conversations/conversation-directory';
import { MembersService } from '../members/members.service';

export type FollowReason = 'sent_message' | 'followed' | 'unfollowed' | 'salesperson';

export interface FollowerView {
  memberId: string;
  name: string;
  following: boolean;
  /** Why: they sent a message, followed or unfollowed by hand, or they are the salesperson (follows everything). */
  reason: FollowReason;
}

@Injectable()
export class FollowersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly conversations: ConversationDirectory,
    private readonly members: MembersService,
  ) {}

  /** Sending a message in a conversation follows it (again, if the member had unfollowed it). */
  async followBecauseSent(tx: EntityManager, accountId: string, conversationId: string, memberId: string): Promise<void> {
    await this.set(tx, accountId, conversationId, memberId, true, 'sent_message');
  }

  async follow(accountId: string, conversationId: string, memberId: string, following: boolean): Promise<FollowerView[]> {
    await this.members.get(accountId, memberId);
    await this.known(accountId, conversationId);
    await this.dataSource.transaction((tx) =>
      this.set(tx, accountId, conversationId, memberId, following, following ? 'followed' : 'unfollowed'));
    return this.list(accountId, conversationId);
  }

  /** Every member who follows the conversation, with why; the salesperson unless they unfollowed it. */
  async list(accountId: string, conversationId: string): Promise<FollowerView[]> {
    await this.known(accountId, conversationId);
    const rows = await this.dataSource.query(
      `SELECT m.member_id, m.name, COALESCE(f.following, m.salesperson) AS following,
              COALESCE(f.reason, 'salesperson') AS reason
       FROM team_members m LEFT JOIN conversation_followers f ON f.member_id = m.member_id AND f.conversation_id = $2
       WHERE m.account_id = $1 AND (f.member_id IS NOT NULL OR m.salesperson) ORDER BY m.name`,
      [accountId, conversationId],
    ) as { member_id: string; name: string; following: boolean; reason: FollowReason }[];
    return rows.map((r) => ({ memberId: r.member_id, name: r.name, following: r.following, reason: r.reason }));
  }

  private async set(tx: EntityManager, accountId: string, conversationId: string, memberId: string, following: boolean,
    reason: FollowReason): Promise<void> {
    await tx.query(
      `INSERT INTO conversation_followers (conversation_id, member_id, account_id, following, reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (conversation_id, member_id) DO UPDATE SET following = EXCLUDED.following, reason = EXCLUDED.reason,
         changed_at = now()`,
      [conversationId, memberId, accountId, following, reason],
    );
  }

  private async known(accountId: string, conversationId: string): Promise<void> {
    if (!(await this.conversations.find(this.dataSource.manager, accountId, conversationId))) {
      throw new NotFoundException(`conversation ${conversationId} not found in this account`);
    }
  }
}
