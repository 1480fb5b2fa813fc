import { MemberRemovedEvent, MemberUpsertedEvent, type MemberRemoved, type MemberUpserted } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TeamMember } from './team-member.entity';

@Injectable()
export class TeamDirectory {
  @OnEvent(MemberUpsertedEvent, { purpose: 'team-member-upserted' })
  async onMemberUpserted(event: ReceivedEvent<MemberUpserted>, tx: EntityManager): Promise<void> {
    const m = event.data;
    await tx.query(
      `INSERT INTO team_members (member_id, account_id, email, name, role, active, salesperson, preference, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (member_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role,
         active = EXCLUDED.active, salesperson = EXCLUDED.salesperson, preference = EXCLUDED.preference, version = EXCLUDED.version
       WHERE team_members.version < EXCLUDED.version`,
      [m.memberId, m.accountId, m.email, m.name, m.role, m.active, m.salesperson, m.notificationPreference, m.version],
    );
  }

  @OnEvent(MemberRemovedEvent, { purpose: 'team-member-removed' })
  async onMemberRemoved(event: ReceivedEvent<MemberRemoved>, tx: EntityManager): Promise<void> {
    await tx.delete(TeamMember, { memberId: event.data.memberId, accountId: event.data.accountId });
  }

  /**
   * Who hears about a conversation's news: "All events" members, and "Only my events" members who follow it
   * (the salesperson follows every conversation of the account). Inactive members and "off" hear nothing.
   */
  async recipientsFor(tx: EntityManager, accountId: string): Promise<TeamMember[]> {
    const members = await tx.findBy(TeamMember, { accountId, active: true });
    return members.filter((m) => m.preference === 'all' || (m.preference === 'mine' && m.salesperson));
  }
}
