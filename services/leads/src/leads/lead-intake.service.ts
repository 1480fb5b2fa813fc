import type { Actor } from '@leadline/platform';
import { UnitOfWork } from '@leadline/messaging';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactDirectory } from '../contacts/contact-directory';
import { ContactEntry } from '../contacts/contact-entry.entity';
import { MemberDirectory } from '../members/member-directory';
import type { CreateLeadDto } from './create-lead.dto';
import { LeadOpening } from './lead-opening';
import { leadView, type LeadView } from './lead.view';

/** Leads that other systems open through the API, for a contact identity already knows. */
@Injectable()
export class LeadIntakeService {
  constructor(
    private readonly work: UnitOfWork, private readonly opening: LeadOpening, private readonly contacts: ContactDirectory,
    private readonly members: MemberDirectory,
  ) {}

  create(actor: Actor, dto: CreateLeadDto): Promise<LeadView> {
    return this.work.run(async (tx) => {
      const contact = await this.contactNamed(tx, actor.accountId, dto);
      await this.opening.lockContact(tx, contact.contactId);
      const { active, pastIds } = await this.opening.contactLeads(tx, actor.accountId, contact.contactId);
      if (active) {
        const reason = `contact ${contact.contactId} already has an active lead ${active.id}: work that one, or close it first`;
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: reason, reason, leadId: active.id });
      }
      if (dto.agentId) await this.members.assignable(tx, actor.accountId, dto.agentId, 'agentId');
      const lead = await this.opening.open(tx, {
        accountId: actor.accountId, contact: contact.snapshot, reason: 'api', status: dto.status ?? 'new',
        score: dto.score ?? null, scoreSource: dto.score === undefined ? null : 'manual', agentId: dto.agentId ?? null,
        summary: dto.summary ?? null, previousLeadIds: pastIds,
        openedBy: actor.memberId ?? null,
      });
      return leadView(lead);
    });
  }

  private async contactNamed(tx: EntityManager, accountId: string, dto: CreateLeadDto): Promise<ContactEntry> {
    const named = dto.contactId ? `id ${dto.contactId}` : dto.email ? `email ${dto.email}` : `phone ${dto.phone}`;
    const found = dto.contactId
      ? await tx.findOneBy(ContactEntry, { contactId: dto.contactId, accountId })
      : dto.email ? await this.contacts.findByEmail(tx, accountId, dto.email) : await this.contacts.findByPhone(tx, accountId, dto.phone!);
    if (!found) {
      throw new NotFoundException(`no contact with ${named} in this account: create or import the contact in identity first, then open its lead`);
    }
    return found;
  }
}
