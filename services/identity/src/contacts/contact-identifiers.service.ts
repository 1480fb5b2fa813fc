import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { DataSource } from 'typeorm';
import { contactChanged, identifierField } from './contact-changes';
import { heldElsewhereConflict, insertIdentifiers } from './contact-identifiers';
import { identifierView } from './contact-view';
import type { AddIdentifierDto } from './contact.dto';
import { editableContact, identifierOrigin } from './contacts.service';
import { normaliseIdentifier } from './identifier-values';
import { Identifier } from './identifier.entity';
import { badRequest } from './request-problems';

/** Emails, phones and device ids added to or removed from a contact by hand or by the business's systems. */
@Injectable()
export class ContactIdentifiersService {
  constructor(
    private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox,
    private readonly settings: AccountSettingsService,
  ) {}

  /** Adds it (201), or answers the one the contact already holds (200); 409 names the contact that holds it. */
  async add(actor: Actor, contactId: string, body: AddIdentifierDto): Promise<{ created: boolean; identifier: ReturnType<typeof identifierView> }> {
    const region = (await this.settings.forAccount(this.dataSource.manager, actor.accountId)).defaultPhoneRegion;
    const normalised = normaliseIdentifier(body.kind, body.value, region);
    if (!normalised.ok) throw badRequest([{ field: 'value', reason: normalised.reason }]);
    return this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const existing = await tx.findOneBy(Identifier, { accountId: actor.accountId, kind: body.kind, value: normalised.value });
      if (existing?.contactId === contact.id) return { created: false, identifier: identifierView(existing) };
      const held = await insertIdentifiers(tx, actor.accountId, contact.id, [
        { kind: body.kind, value: normalised.value, verified: false, source: identifierOrigin(actor) },
      ]);
      if (held.length > 0) throw heldElsewhereConflict(held[0]!);
      await contactChanged(tx, this.outbox, contact, [identifierField(body.kind)]);
      const stored = await tx.findOneByOrFail(Identifier, { accountId: actor.accountId, kind: body.kind, value: normalised.value });
      return { created: true, identifier: identifierView(stored) };
    });
  }

  async remove(actor: Actor, contactId: string, identifierId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const identifier = await tx.findOneBy(Identifier, { id: identifierId, accountId: actor.accountId, contactId: contact.id });
      if (!identifier) throw new NotFoundException(`identifier ${identifierId} not found on contact ${contactId}`);
      await tx.delete(Identifier, { id: identifier.id });
      await contactChanged(tx, this.outbox, contact, [identifierField(identifier.kind)]);
    });
  }
}
