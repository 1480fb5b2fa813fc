import { MemberRemovedEvent, MemberUpsertedEvent, type MemberRemoved, type MemberUpserted } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeadChanges } from '../lifecycle/lead-changes';
import { Lead } from '../leads/lead.entity';
import { TeamMember } from './team-member.entity';

/** Keeps the account's members as accounts publishes them; a member who leaves or is deactivated leaves their leads unassigned. */
@Injectable()
export class MemberDirectory {
  constructor(private readonly changes: LeadChanges) {}

  @OnEvent(MemberUpsertedEvent, { purpose: 'member-upserted' })
  async onMemberUpserted(event: ReceivedEvent<MemberUpserted>, tx: EntityManager): Promise<void> {
    const m = event.data;
    await tx.query(
      `INSERT INTO team_members (member_id, account_id, email, name, role, active, version) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (member_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role,
         active = EXCLUDED.active, version = EXCLUDED.version
       WHERE team_members.version < EXCLUDED.version AND team_members.account_id = EXCLUDED.account_id`,
      [m.memberId, m.accountId, m.email, m.name, m.role, m.active, m.version],
    );
    const current = await tx.findOneBy(TeamMember, { memberId: m.memberId, accountId: m.accountId });
    if (current && !current.active) await this.unassignLeadsOf(tx, m.accountId, m.memberId);
  }

  @OnEvent(MemberRemovedEvent, { purpose: 'member-removed' })
  async onMemberRemoved(event: ReceivedEvent<MemberRemoved>, tx: EntityManager): Promise<void> {
    await tx.delete(TeamMember, { memberId: event.data.memberId, accountId: event.data.accountId });
    await this.unassignLeadsOf(tx, event.data.accountId, event.data.memberId);
  }

  /** The member leads may be given to: known in this account (else 404) and active (else 400). */
  async assignable(tx: EntityManager, accountId: string, memberId: string, field: string): Promise<TeamMember> {
    const member = await tx.findOneBy(TeamMember, { memberId, accountId });
    if (!member) throw new NotFoundException(`member ${memberId} is not a member of this account`);
    if (!member.active) {
      const reason = `member ${memberId} (${member.name}) is inactive: only active members can be given leads or follow-ups`;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, fields: [{ field, reason }] });
    }
    return member;
  }

  private async unassignLeadsOf(tx: EntityManager, accountId: string, memberId: string): Promise<void> {
    const leads = await tx.find(Lead, { where: { accountId, agentId: memberId, active: true }, lock: { mode: 'pessimistic_write' } });
    for (const lead of leads) await this.changes.assign(tx, lead, { from: memberId, to: null }, null);
  }
}
