import {
  LeadAssignedEvent, LeadScoredEvent, LeadStatusChangedEvent,
} from '@leadline/contracts';
import { Outbox } from '@leadline/messaging';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Lead } from '../leads/lead.entity';
import { addHistory } from '../timeline/history';
import type { Assignment, Decision, ScoreChange, StatusChange } from './lead-rules';

/** Thrown for a decision the rules refused: 409 with the reason, for people and programs. */
export function refusal(reason: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: reason, reason });
}

/** The change a decision allows, or the 409 it refuses with; `undefined` when nothing changes. */
export function applicable<T>(decision: Decision<T>): T | undefined {
  if (decision.kind === 'refused') throw refusal(decision.reason);
  return decision.kind === 'apply' ? decision.change : undefined;
}

/** Reads a lead of the account for update (row lock until the transaction ends); another account's lead is 404. */
export async function lockLead(tx: EntityManager, accountId: string, leadId: string): Promise<Lead> {
  const lead = await tx.findOne(Lead, { where: { id: leadId, accountId }, lock: { mode: 'pessimistic_write' } });
  if (!lead) throw new NotFoundException(`lead ${leadId} not found in this account`);
  return lead;
}

/**
 * Applies the changes the rules decided: the row, its timeline entry and its event, all in the caller's
 * transaction, so the event is published exactly when the change commits (outbox).
 */
@Injectable()
export class LeadChanges {
  constructor(private readonly outbox: Outbox) {}

  async changeStatus(tx: EntityManager, lead: Lead, change: StatusChange, by: string | null, note?: string): Promise<void> {
    const now = new Date();
    await tx.update(Lead, { id: lead.id }, { status: change.to, active: change.active, updatedAt: now });
    Object.assign(lead, { status: change.to, active: change.active, updatedAt: now });
    await addHistory(tx, lead, 'status_changed', { from: change.from, to: change.to, active: change.active, by, ...(note ? { note } : {}) }, now);
    await this.outbox.add(tx, LeadStatusChangedEvent, {
      accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, from: change.from, to: change.to,
      active: change.active, changedBy: by, changedAt: now.toISOString(),
    }, lead.id);
  }

  async assign(tx: EntityManager, lead: Lead, change: Assignment, by: string | null): Promise<void> {
    const now = new Date();
    await tx.update(Lead, { id: lead.id }, { agentId: change.to, updatedAt: now });
    Object.assign(lead, { agentId: change.to, updatedAt: now });
    await addHistory(tx, lead, 'assigned', { from: change.from, to: change.to, by }, now);
    await this.outbox.add(tx, LeadAssignedEvent, {
      accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, agentId: change.to,
      previousAgentId: change.from, assignedBy: by, assignedAt: now.toISOString(),
    }, lead.id);
  }

  async score(tx: EntityManager, lead: Lead, change: ScoreChange, by: string | null, why?: Record<string, unknown>): Promise<void> {
    const now = new Date();
    await tx.update(Lead, { id: lead.id }, { score: change.to, scoreSource: change.source, updatedAt: now });
    Object.assign(lead, { score: change.to, scoreSource: change.source, updatedAt: now });
    await addHistory(tx, lead, 'scored', { from: change.from, to: change.to, source: change.source, by, ...why }, now);
    await this.outbox.add(tx, LeadScoredEvent, {
      accountId: lead.accountId, leadId: lead.id, contactId: lead.contactId, score: change.to, source: change.source,
      previousScore: change.from, scoredAt: now.toISOString(),
    }, lead.id);
  }
}

