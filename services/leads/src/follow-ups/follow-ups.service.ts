import { LeadFollowUpCreatedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { applicable, lockLead } from '../lifecycle/lead-changes';
import { decideFollowUp } from '../lifecycle/lead-rules';
import { Lead } from '../leads/lead.entity';
import { MemberDirectory } from '../members/member-directory';
import { addHistory } from '../timeline/history';
import type { CreateFollowUpDto, FollowUpListQueryDto, FollowUpView } from './follow-up.dto';
import { FollowUp } from './follow-up.entity';

function view(followUp: FollowUp): FollowUpView {
  const { accountId: _accountId, ...rest } = followUp;
  return rest;
}

/** Follow-ups on active leads, and the lists of due and overdue ones. */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly work: UnitOfWork, private readonly outbox: Outbox, private readonly members: MemberDirectory,
    private readonly dataSource: DataSource,
  ) {}

  create(actor: Actor, leadId: string, dto: CreateFollowUpDto): Promise<FollowUpView> {
    return this.work.run(async (tx) => {
      const lead = await lockLead(tx, actor.accountId, leadId);
      applicable(decideFollowUp(lead));
      const assigneeId = dto.assigneeId ?? lead.agentId ?? actor.memberId ?? null;
      if (assigneeId) await this.members.assignable(tx, actor.accountId, assigneeId, 'assigneeId');
      const now = new Date();
      const followUp: FollowUp = {
        id: uuidv7(), accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, dueAt: new Date(dto.dueAt),
        note: dto.note ?? null, assigneeId, createdBy: actor.memberId ?? null, createdAt: now, completedAt: null,
      };
      await tx.insert(FollowUp, followUp);
      await tx.update(Lead, { id: lead.id }, { updatedAt: now });
      await addHistory(tx, lead, 'follow_up', {
        followUpId: followUp.id, dueAt: followUp.dueAt.toISOString(), note: followUp.note, assigneeId, by: followUp.createdBy,
      }, now);
      await this.outbox.add(tx, LeadFollowUpCreatedEvent, {
        accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, followUpId: followUp.id,
        dueAt: followUp.dueAt.toISOString(), note: followUp.note, assigneeId, createdAt: now.toISOString(),
      }, lead.id);
      return view(followUp);
    });
  }

  /** Marks a follow-up done; doing it twice changes nothing. */
  complete(actor: Actor, followUpId: string): Promise<FollowUpView> {
    return this.work.run(async (tx) => {
      const followUp = await tx.findOne(FollowUp, { where: { id: followUpId, accountId: actor.accountId }, lock: { mode: 'pessimistic_write' } });
      if (!followUp) throw new NotFoundException(`follow-up ${followUpId} not found in this account`);
      if (followUp.completedAt) return view(followUp);
      followUp.completedAt = new Date();
      await tx.update(FollowUp, { id: followUp.id }, { completedAt: followUp.completedAt });
      await addHistory(tx, { id: followUp.leadId, accountId: followUp.accountId, contactId: followUp.contactId }, 'follow_up_completed', {
        followUpId: followUp.id, by: actor.memberId ?? null,
      }, followUp.completedAt);
      return view(followUp);
    });
  }

  async ofLead(accountId: string, leadId: string): Promise<FollowUpView[]> {
    const lead = await this.dataSource.manager.findOneBy(Lead, { id: leadId, accountId });
    if (!lead) throw new NotFoundException(`lead ${leadId} not found in this account`);
    const followUps = await this.dataSource.manager.find(FollowUp, { where: { leadId, accountId }, order: { dueAt: 'ASC', id: 'ASC' } });
    return followUps.map(view);
  }

  /** Open follow-ups of active leads that are past their time (overdue) or due soon (due). */
  async list(accountId: string, query: FollowUpListQueryDto): Promise<FollowUpView[]> {
    const params: unknown[] = [accountId];
    const window = query.when === 'overdue'
      ? 'f.due_at < now()'
      : `f.due_at >= now() AND f.due_at < now() + make_interval(hours => $${params.push(query.withinHours ?? 24)})`;
    const assignee = query.assigneeId ? ` AND f.assignee_id = $${params.push(query.assigneeId)}` : '';
    params.push(query.limit ?? 100);
    return this.dataSource.query(
      `SELECT f.id, f.lead_id AS "leadId", f.contact_id AS "contactId", f.due_at AS "dueAt", f.note, f.assignee_id AS "assigneeId",
         f.created_by AS "createdBy", f.created_at AS "createdAt", f.completed_at AS "completedAt", l.display_name AS "displayName"
       FROM follow_ups f JOIN leads l ON l.id = f.lead_id
       WHERE f.account_id = $1 AND f.completed_at IS NULL AND l.active AND ${window}${assignee}
       ORDER BY f.due_at, f.id LIMIT $${params.length}`,
      params,
    ) as Promise<FollowUpView[]>;
  }
}
