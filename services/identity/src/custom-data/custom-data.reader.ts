import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Contact } from '../contacts/contact.entity';
import { companyView } from './companies.service';
import { activityView } from './contact-events.service';
import { Company, ContactActivity, ContactAttribute } from './custom-data.entities';

const RECENT_EVENTS = 20;

/** The business's data on a contact, as its detail shows it. */
@Injectable()
export class CustomDataReader {
  async ofContact(manager: EntityManager, contact: Contact) {
    const attributes = await manager.find(ContactAttribute, { where: { contactId: contact.id }, order: { key: 'ASC' } });
    const company = contact.companyId ? await manager.findOneBy(Company, { id: contact.companyId }) : null;
    const events = await manager.find(ContactActivity, {
      where: { contactId: contact.id, accountId: contact.accountId }, order: { occurredAt: 'DESC', id: 'DESC' }, take: RECENT_EVENTS,
    });
    return {
      attributes: attributes.map((a) => ({ key: a.key, type: a.type, value: a.value, source: a.source, updatedAt: a.updatedAt.toISOString() })),
      company: company ? companyView(company) : null,
      recentEvents: events.map(activityView),
    };
  }
}
