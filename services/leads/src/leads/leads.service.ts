import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeadHistoryEntry } from './lead-history.entity';
import { Lead } from './lead.entity';

@Injectable()
export class LeadsService {
  constructor(private readonly dataSource: DataSource) {}

  list(accountId: string): Promise<Lead[]> {
    return this.dataSource.manager.find(Lead, { where: { accountId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 100 });
  }

  async detail(accountId: string, leadId: string) {
    const lead = await this.dataSource.manager.findOneBy(Lead, { id: leadId, accountId });
    if (!lead) throw new NotFoundException('lead not found');
    const history = await this.dataSource.manager.find(LeadHistoryEntry, { where: { leadId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { ...lead, history };
  }
}
