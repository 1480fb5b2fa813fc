import type { NotificationPreference } from '@leadline/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TeamMember } from './team-member.entity';

export interface MemberView {
  memberId: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
  salesperson: boolean;
  preference: NotificationPreference;
  preferenceSetHere: boolean;
}

function view(m: TeamMember): MemberView {
  return {
    memberId: m.memberId, name: m.name, email: m.email, role: m.role, active: m.active, salesperson: m.salesperson,
    preference: m.preference, preferenceSetHere: m.preferenceSetAt !== null,
  };
}

@Injectable()
export class MembersService {
  constructor(private readonly dataSource: DataSource) {}

  async list(accountId: string): Promise<MemberView[]> {
    const members = await this.dataSource.manager.find(TeamMember, { where: { accountId }, order: { name: 'ASC' } });
    return members.map(view);
  }

  async get(accountId: string, memberId: string): Promise<MemberView> {
    return view(await this.find(accountId, memberId));
  }

  async setPreference(accountId: string, memberId: string, preference: NotificationPreference): Promise<MemberView> {
    const member = await this.find(accountId, memberId);
    member.preference = preference;
    member.preferenceSetAt = new Date();
    return view(await this.dataSource.manager.save(member));
  }

  private async find(accountId: string, memberId: string): Promise<TeamMember> {
    const member = await this.dataSource.manager.findOneBy(TeamMember, { accountId, memberId });
    if (!member) throw new NotFoundException(`member ${memberId} not found in this account`);
    return member;
  }
}
