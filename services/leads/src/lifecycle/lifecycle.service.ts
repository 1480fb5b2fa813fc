import { UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { Injectable } from '@nestjs/common';
import { leadView, type LeadView } from '../leads/lead.view';
import { MemberDirectory } from '../members/member-directory';
import { applicable, LeadChanges, lockLead } from './lead-changes';
import { decideAssignment, decideManualScore, decideStatusChange } from './lead-rules';
import type { AssignDto, ChangeStatusDto, SetScoreDto } from './lifecycle.dto';

/** A member (or system) working one lead: status, assignee, score. */
@Injectable()
export class LifecycleService {
  constructor(private readonly work: UnitOfWork, private readonly changes: LeadChanges, private readonly members: MemberDirectory) {}

  changeStatus(actor: Actor, leadId: string, dto: ChangeStatusDto): Promise<LeadView> {
    return this.work.run(async (tx) => {
      const lead = await lockLead(tx, actor.accountId, leadId);
      const change = applicable(decideStatusChange(lead, dto.status));
      if (change) await this.changes.changeStatus(tx, lead, change, actor.memberId ?? null, dto.note);
      return leadView(lead);
    });
  }

  assign(actor: Actor, leadId: string, dto: AssignDto): Promise<LeadView> {
    return this.work.run(async (tx) => {
      const lead = await lockLead(tx, actor.accountId, leadId);
      const change = applicable(decideAssignment(lead, dto.agentId));
      if (!change) return leadView(lead);
      if (change.to) await this.members.assignable(tx, actor.accountId, change.to, 'agentId');
      await this.changes.assign(tx, lead, change, actor.memberId ?? null);
      return leadView(lead);
    });
  }

  setScore(actor: Actor, leadId: string, dto: SetScoreDto): Promise<LeadView> {
    return this.work.run(async (tx) => {
      const lead = await lockLead(tx, actor.accountId, leadId);
      const change = applicable(decideManualScore(lead, dto.score));
      if (change) await this.changes.score(tx, lead, change, actor.memberId ?? null);
      return leadView(lead);
    });
  }
}
