import { UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { BadRequestException, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { LeadChanges } from '../lifecycle/lead-changes';
import { decideAssignment, decideStatusChange, type Decision } from '../lifecycle/lead-rules';
import { Lead } from '../leads/lead.entity';
import { filterSql } from '../listing/lead-query';
import { MemberDirectory } from '../members/member-directory';
import type { BulkActionDto, BulkLeadResult, BulkResultView } from './bulk.dto';

/** Leads locked and changed per transaction: small enough to keep locks short, big enough to be quick. */
const CHUNK = 500;
/** Leads one request handles when acting on a filter; the answer's cursor goes on from there. */
const PER_REQUEST = 10_000;

/** Bulk status, assign and archive: each lead is judged by the same rules as one by one; inactive ones are skipped. */
@Injectable()
export class BulkService {
  constructor(private readonly work: UnitOfWork, private readonly changes: LeadChanges, private readonly members: MemberDirectory) {}

  async run(actor: Actor, dto: BulkActionDto): Promise<BulkResultView> {
    if ((dto.leadIds === undefined) === (dto.filter === undefined)) {
      const reason = 'give either leadIds (the selected leads) or filter (all leads that match), not both or neither';
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: reason, fields: [{ field: 'leadIds', reason }] });
    }
    if (dto.action === 'assign' && dto.agentId === undefined) {
      const reason = 'agentId is required for action "assign" (null unassigns)';
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: reason, fields: [{ field: 'agentId', reason }] });
    }
    if (dto.action === 'assign' && dto.agentId) {
      await this.work.run((tx) => this.members.assignable(tx, actor.accountId, dto.agentId!, 'agentId'));
    }
    const results: BulkLeadResult[] = [];
    let nextCursor: string | null = null;
    if (dto.leadIds) {
      const ids = [...new Set(dto.leadIds)];
      for (let i = 0; i < ids.length; i += CHUNK) results.push(...await this.chunkOfIds(actor, dto, ids.slice(i, i + CHUNK)));
    } else {
      let after = dto.cursor ?? null;
      for (;;) {
        const chunk = await this.chunkOfFilter(actor, dto, after);
        results.push(...chunk.results);
        after = chunk.last;
        if (!chunk.last || chunk.results.length < CHUNK) break;
        if (results.length >= PER_REQUEST) {
          nextCursor = chunk.last;
          break;
        }
      }
    }
    return { results, summary: summarise(results), nextCursor };
  }

  private chunkOfIds(actor: Actor, dto: BulkActionDto, ids: string[]): Promise<BulkLeadResult[]> {
    return this.work.run(async (tx) => {
      const leads = await tx.find(Lead, { where: { accountId: actor.accountId, id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      const byId = new Map(leads.map((lead) => [lead.id, lead]));
      const results: BulkLeadResult[] = [];
      for (const id of ids) {
        const lead = byId.get(id);
        results.push(lead ? await this.act(tx, actor, dto, lead) : { leadId: id, outcome: 'skipped', reason: `lead ${id} not found in this account` });
      }
      return results;
    });
  }

  private chunkOfFilter(actor: Actor, dto: BulkActionDto, after: string | null): Promise<{ results: BulkLeadResult[]; last: string | null }> {
    return this.work.run(async (tx) => {
      const where = filterSql(actor.accountId, dto.filter ?? {});
      const params = [...where.params];
      const keyset = after ? ` AND id > $${params.push(after)}::uuid` : '';
      const rows = await tx.query(
        `SELECT id FROM leads WHERE ${where.sql}${keyset} ORDER BY id LIMIT $${params.push(CHUNK)} FOR UPDATE`, params,
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
  return { leadId, outcome: decision.kind === 'refused' ? 'skipped' : 'unchanged', reason: decision.reason };
}

function summarise(results: BulkLeadResult[]): BulkResultView['summary'] {
  const summary = { changed: 0, unchanged: 0, skipped: 0 };
  for (const result of results) summary[result.outcome] += 1;
  return summary;
}
