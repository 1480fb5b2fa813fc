import { LEAD_STATUSES } from '@leadline/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LeadFilterDto, LeadListQueryDto } from '../listing/lead-filter.dto';
import { countsSql, decodeCursor, encodeCursor, pageSql } from '../listing/lead-query';
import { Lead } from './lead.entity';
import { leadView, type LeadCountsView, type LeadView } from './lead.view';

export interface LeadPage {
  items: LeadView[];
  nextCursor: string | null;
}

/** Reads of leads: the filtered list, counts per status, one lead. */
@Injectable()
export class LeadsQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async page(accountId: string, query: LeadListQueryDto): Promise<LeadPage> {
    const sort = query.sort ?? 'createdAt';
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, sort, order) : undefined;
    const { sql, params } = pageSql(accountId, query, { sort, order, limit: limit + 1, ...(cursor ? { cursor } : {}) });
    // One lead more than asked tells whether another page follows.
    const rows = await this.dataSource.query(sql, params) as (LeadView & { sortKey: string })[];
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ sortKey: _sortKey, ...lead }) => lead),
      nextCursor: more && last ? encodeCursor({ sort, order, key: last.sortKey, id: last.id }) : null,
    };
  }

  async counts(accountId: string, filter: LeadFilterDto): Promise<LeadCountsView> {
    const { sql, params } = countsSql(accountId, filter);
    const rows = await this.dataSource.query(sql, params) as { status: string; count: number }[];
    const byStatus: Record<string, number> = Object.fromEntries(LEAD_STATUSES.map((status) => [status, 0]));
    for (const row of rows) byStatus[row.status] = row.count;
    return { total: rows.reduce((sum, row) => sum + row.count, 0), byStatus };
  }

  async one(accountId: string, leadId: string): Promise<LeadView> {
    const lead = await this.dataSource.manager.findOneBy(Lead, { id: leadId, accountId });
    if (!lead) throw new NotFoundException(`lead ${leadId} not found in this account`);
    return leadView(lead);
  }
}
