import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContactSummary } from './contact-summary.entity';
import { Contact } from './contact.entity';
import { contactSnapshot } from './contact-snapshot';
import { ConversationLink } from './conversation-link.entity';
import { Identifier } from './identifier.entity';

@Injectable()
export class ContactsService {
  constructor(private readonly dataSource: DataSource) {}

  /** A contact with its identifiers, conversations and summaries. */
  async detail(accountId: string, contactId: string) {
    const manager = this.dataSource.manager;
    const contact = await manager.findOneBy(Contact, { id: contactId, accountId });
    if (!contact) throw new NotFoundException('contact not found');
    const identifiers = await manager.find(Identifier, { where: { contactId }, order: { createdAt: 'ASC' } });
    const conversations = await manager.find(ConversationLink, { where: { contactId }, order: { createdAt: 'ASC' } });
    const summaries = await manager.find(ContactSummary, { where: { contactId }, order: { createdAt: 'ASC' } });
    return { ...contactSnapshot(contact, identifiers), identifiers, conversations, summaries };
  }

  async list(accountId: string) {
    return this.dataSource.manager.find(Contact, { where: { accountId }, order: { createdAt: 'DESC' }, take: 100 });
  }
}
