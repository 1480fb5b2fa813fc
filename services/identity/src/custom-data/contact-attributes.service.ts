import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { contactChanged } from '../contacts/contact-changes';
import { editableContact } from '../contacts/contacts.service';
import { checkAttributes } from './attribute-definitions';
import type { SetAttributesDto } from './custom-data.dto';
import { ContactAttribute } from './custom-data.entities';

/** Typed custom attributes on a contact; a contact exists only once the visitor is a lead. */
@Injectable()
export class ContactAttributesService {
  constructor(private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox) {}

  async set(actor: Actor, contactId: string, body: SetAttributesDto): Promise<ContactAttribute[]> {
    return this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const attributes = await checkAttributes(tx, actor.accountId, body.attributes, 'contact', 'attributes');
      const changed: string[] = [];
      for (const attribute of attributes) {
        const before = await tx.findOneBy(ContactAttribute, { contactId, key: attribute.key });
        if (attribute.value === null) {
          if (before) await tx.delete(ContactAttribute, { contactId, key: attribute.key });
        } else {
          await tx.upsert(ContactAttribute, {
            contactId, key: attribute.key, accountId: actor.accountId, type: attribute.type, value: attribute.value,
            source: actor.kind, updatedAt: new Date(),
          }, ['contactId', 'key']);
        }
        if ((before?.value ?? null) !== attribute.value) changed.push(`attributes.${attribute.key}`);
      }
      await contactChanged(tx, this.outbox, contact, changed);
      return tx.find(ContactAttribute, { where: { contactId }, order: { key: 'ASC' } });
    });
  }

  async remove(actor: Actor, contactId: string, key: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const result = await tx.delete(ContactAttribute, { contactId, key });
      if (!result.affected) throw new NotFoundException(`contact ${contactId} has no attribute ${key}`);
      await contactChanged(tx, this.outbox, contact, [`attributes.${key}`]);
    });
  }
}
