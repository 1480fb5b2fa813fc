import { UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { BadRequestException, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { LeadChanges } from '../lifecycle/lead-changes';
import { decideAssignment, decideStatusChange, type Decision } from '../lifecycle/lead-rules';
import { Lead } from '../leads/lead.entity';
import { filterSql } from '../listing/lead-query';
import { MemberDirectory } from '../members/member-directory';
import { BULK_PER_REQUEST, type BulkActionDto, type BulkLeadResult, type BulkResultView } from './bulk.dto';

/** Leads locked and changed per transaction: small enough to keep locks short, big enough to be quick. */
const CHUNK = 500;

function badRequest(field: string, reason: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, fields: [{ field, reason }] });
}

/** Bulk status, assign and archive: each lead is judged by the same rules as one by one; inactive ones are skipped. */
@Injectable()
export class BulkService {
  constructor(private readonly work: UnitOfWork, private readonly changes: LeadChanges, private readonly members: MemberDirectory) {}

  async run(actor: Actor, dto: BulkActionDto): Promise<BulkResultView> {
    this.checkShape(dto);
    if (dto.action === 'assign' && dto.agentId) {
      await this.work.run((tx) => this.members.assignable(tx, actor.accountId, dto.agentId!, 'agentId'));
    }
    const { results, nextCursor } = dto.leadIds
      ? { results: await this.acrossIds(actor, dto, dto.leadIds), nextCursor: null }
      : await this.acrossFilter(actor, dto);
    return { results, summary: summarise(results), nextCursor };
  }

  private checkShape(dto: BulkActionDto): void {
    if ((dto.leadIds === undefined) === (dto.filter === undefined)) {
      throw badRequest('leadIds', 'give either leadIds (the selected leads) or filter (all leads that match), not both or neither');
    }
    if (dto.action === 'assign' && dto.agentId === undefined) throw badRequest('agentId', 'agentId is required for action "assign" (null unassigns)');
    for (const field of ['cursor', 'limit'] as const) {
      if (dto.leadIds && dto[field] !== undefined) throw badRequest(field, `${field} goes with filter; leadIds are taken all at once`);
    }
  }

  private async acrossIds(actor: Actor, dto: BulkActionDto, leadIds: string[]): Promise<BulkLeadResult[]> {
    const ids = [...new Set(leadIds)];
    const results: BulkLeadResult[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) results.push(...await this.chunkOfIds(actor, dto, ids.slice(i, i + CHUNK)));
    return results;
  }

  /** Every lead the filter matches, in id order from the cursor on, up to the call's limit. */
  private async acrossFilter(actor: Actor, dto: BulkActionDto): Promise<{ results: BulkLeadResult[]; nextCursor: string | null }> {
    const results: BulkLeadResult[] = [];
    let remaining = dto.limit ?? BULK_PER_REQUEST;
    let after = dto.cursor ?? null;
    while (remaining > 0) {
      const size = Math.min(CHUNK, remaining);
      const chunk = await this.chunkOfFilter(actor, dto, after, size);
      results.push(...chunk.results);
      remaining -= chunk.results.length;
      if (chunk.results.length < size || !chunk.last) return { results, nextCursor: null };
      after = chunk.last;
    }
    // Stopped at the limit: a cursor only when more leads match, so a client never makes a last, empty call.
    return { results, nextCursor: after && await this.matchesAfter(actor, dto, after) ? after : null };
  }

  private async matchesAfter(actor: Actor, dto: BulkActionDto, after: string): Promise<boolean> {
    const where = filterSql(actor.accountId, dto.filter ?? {});
    const params = [...where.params, after];
    const rows = await this.work.run((tx) => tx.query(
      `SELECT 1 FROM leads WHERE ${where.sql} AND id > $${params.length}::uuid LIMIT 1`, params,
    ) as Promise<unknown[]>);
    return rows.length > 0;
  }

  private chunkOfIds(actor: Actor, dto: BulkActionDto, ids: string[]): Promise<BulkLeadResult[]> {
    return this.work.run(async (tx) => {
      const leads = await tx.find(Lead, { where: { accountId: actor.accountId, id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      const byId = new Map(leads.map((lead) => [lead.id, lead]));
      const results: BulkLeadResult[] = [];
      for (const id of ids) {
        const lead = byId.get(id);
        results.push(lead ? await this.act(tx, actor, dto, lead) : { leadId: id, outcome: 'skipped', reason: `lead ${id} not found in this account`, code: 404 });
      }
      return results;
    });
  }

  private chunkOfFilter(
    actor: Actor, dto: BulkActionDto, after: string | null, size: number,
  ): Promise<{ results: BulkLeadResult[]; last: string | null }> {
    return this.work.run(async (tx) => {
      const where = filterSql(actor.accountId, dto.filter ?? {});
      const params = [...where.params];
      const keyset = after ? ` AND id > $${params.push(after)}::uuid` : '';
      const rows = await tx.query(
        `SELECT id FROM leads WHERE ${where.sql}${keyset} ORDER BY id LIMIT $${params.push(size)} FOR UPDATE`, params,
      ) as { id: string }[];
      if (rows.length === 0) return { results: [], last: null };
      const leads = await tx.find(Lead, { where: { id: In(rows.map((row) => row.id)) }, order: { id: 'ASC' } });
      const results: BulkLeadResult[] = [];
      for (const lead of leads) results.push(await this.act(tx, actor, dto, lead));
      return { results, last: rows[rows.length - 1]!.id };
    });
  }

  private async act(tx: EntityManager, actor: Actor, dto: BulkActionDto, lead: Lead): Promise<BulkLeadResult> {
    const by = actor.memberId ?? null;
    if (dto.action === 'assign') {
      const decision = decideAssignment(lead, dto.agentId ?? null);
      if (decision.kind === 'apply') await this.changes.assign(tx, lead, decision.change, by);
      return resultOf(lead.id, decision);
    }
    const decision = decideStatusChange(lead, dto.action === 'archive' ? 'archived' : dto.status!);
    if (decision.kind === 'apply') await this.changes.changeStatus(tx, lead, decision.change, by);
    return resultOf(lead.id, decision);
  }
}

function resultOf(leadId: string, decision: Decision<unknown>): BulkLeadResult {
  if (decision.kind === 'apply') return { leadId, outcome: 'changed' };
  if (decision.kind === 'refused') return { leadId, outcome: 'skipped', reason: decision.reason, code: 409 };
  return { leadId, outcome: 'unchanged', reason: decision.reason };
}

function summarise(results: BulkLeadResult[]): BulkResultView['summary'] {
  const summary = { changed: 0, unchanged: 0, skipped: 0 };
  for (const result of results) summary[result.outcome] += 1;
  return summary;
}
