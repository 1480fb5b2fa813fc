import { UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { lockLead } from '../lifecycle/lead-changes';
import { Lead } from '../leads/lead.entity';
import { TeamMember } from '../members/team-member.entity';
import { BroadcastDeliveries } from './broadcast-deliveries';
import { addHistory } from './history';
import type { BroadcastDeliveryDto, BroadcastDeliveryView, NoteDto, TimelineEntryView } from './timeline.dto';

const ENTRIES = `
  SELECT id, lead_id AS "leadId", contact_id AS "contactId", kind, created_at AS at, data FROM lead_history WHERE %HISTORY%
  UNION ALL
  SELECT id, lead_id, contact_id, 'broadcast', occurred_at, jsonb_build_object('broadcastId', broadcast_id, 'status', status,
    'campaign', campaign, 'template', template, 'error', error) FROM broadcast_deliveries WHERE %DELIVERIES%
  ORDER BY at, id`;

/** One timeline per lead and per contact: lead history, notes, conversations and broadcast deliveries, oldest first. */
@Injectable()
export class TimelineService {
  constructor(private readonly dataSource: DataSource, private readonly work: UnitOfWork, private readonly broadcasts: BroadcastDeliveries) {}

  async ofLead(accountId: string, leadId: string): Promise<TimelineEntryView[]> {
    const lead = await this.dataSource.manager.findOneBy(Lead, { id: leadId, accountId });
    if (!lead) throw new NotFoundException(`lead ${leadId} not found in this account`);
    const sql = ENTRIES.replace('%HISTORY%', 'account_id = $1 AND lead_id = $2').replace('%DELIVERIES%', 'account_id = $1 AND lead_id = $2');
    return this.dataSource.query(sql, [accountId, leadId]) as Promise<TimelineEntryView[]>;
  }

  /** Every lead of the contact (past ones too) and every broadcast to them; 404 when the account has nothing of them. */
  async ofContact(accountId: string, contactId: string): Promise<TimelineEntryView[]> {
    const sql = ENTRIES.replace('%HISTORY%', 'account_id = $1 AND contact_id = $2').replace('%DELIVERIES%', 'account_id = $1 AND contact_id = $2');
    const entries = await this.dataSource.query(sql, [accountId, contactId]) as TimelineEntryView[];
    if (entries.length === 0) throw new NotFoundException(`contact ${contactId} has no leads or deliveries in this account`);
    return entries;
  }

  /** A note by a member, on any lead (closed ones too: why it was lost is worth writing down). */
  addNote(actor: Actor, leadId: string, dto: NoteDto): Promise<TimelineEntryView> {
    if (actor.kind !== 'member' || !actor.memberId) {
      throw new ForbiddenException('notes are written by members: call with a member\'s credentials');
    }
    const memberId = actor.memberId;
    return this.work.run(async (tx) => {
      const lead = await lockLead(tx, actor.accountId, leadId);
      const author = await tx.findOneBy(TeamMember, { memberId, accountId: actor.accountId });
      const at = new Date();
      const entry = await addHistory(tx, lead, 'note', { text: dto.text, by: memberId, authorName: author?.name ?? null }, at);
      return { id: entry.id, leadId: entry.leadId, contactId: entry.contactId, kind: entry.kind, at: entry.createdAt, data: entry.data };
    });
  }

  recordDelivery(accountId: string, dto: BroadcastDeliveryDto): Promise<BroadcastDeliveryView> {
    return this.work.run((tx) => this.broadcasts.record(tx, { ...dto, accountId }));
  }
}
