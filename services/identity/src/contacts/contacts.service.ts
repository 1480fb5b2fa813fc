import { ContactCreatedEvent, type IdentifierKind } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor, FieldProblem } from '@leadline/platform';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { CustomDataReader } from '../custom-data/custom-data.reader';
import { contactChanged, lockContact } from './contact-changes';
import { heldElsewhereConflict, insertIdentifiers, type NewIdentifier } from './contact-identifiers';
import { contactSnapshot } from './contact-snapshot';
import { ContactSummary } from './contact-summary.entity';
import { contactListItem, conversationView, identifierView, summaryView } from './contact-view';
import { Contact } from './contact.entity';
import type { CreateContactDto, UpdateContactDto } from './contact.dto';
import { ConversationLink } from './conversation-link.entity';
import { applyFieldValues, PROFILE_FIELDS, sourceOf, type FieldSource, type ProfileValues } from './field-precedence';
import { normaliseIdentifier } from './identifier-values';
import { Identifier } from './identifier.entity';
import { badRequest } from './request-problems';

/** A member's edit ranks above the business's systems (API keys), which rank above the AI. */
export function sourceOfActor(actor: Actor): FieldSource {
  return actor.kind === 'member' ? 'member' : 'system';
}

/** Where an identifier added through the API came from. */
export function identifierOrigin(actor: Actor): string {
  return actor.kind === 'member' ? 'member' : 'api';
}

@Injectable()
export class ContactsService {
  constructor(
    private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox,
    private readonly settings: AccountSettingsService, private readonly customData: CustomDataReader,
  ) {}

  /** A contact with its identifiers, conversations, summaries, custom attributes, company and latest events. */
  async detail(accountId: string, contactId: string) {
    const manager = this.dataSource.manager;
    const contact = await manager.findOneBy(Contact, { id: contactId, accountId });
    if (!contact) throw new NotFoundException(`contact ${contactId} not found in this account`);
    const identifiers = await manager.find(Identifier, { where: { contactId }, order: { createdAt: 'ASC' } });
    const conversations = await manager.find(ConversationLink, { where: { contactId }, order: { createdAt: 'ASC' } });
    const summaries = await manager.find(ContactSummary, { where: { contactId }, order: { createdAt: 'ASC' } });
    return {
      ...contactListItem(contact, identifiers),
      mergedIntoId: contact.mergedIntoId ?? null,
      originalConversationId: contact.originalConversationId,
      identifiers: identifiers.map(identifierView),
      conversations: conversations.map(conversationView),
      summaries: summaries.map(summaryView),
      ...(await this.customData.ofContact(manager, contact)),
    };
  }

  async create(actor: Actor, body: CreateContactDto) {
    const source = sourceOfActor(actor);
    const region = (await this.settings.forAccount(this.dataSource.manager, actor.accountId)).defaultPhoneRegion;
    const identifiers = newIdentifiers(body, region, identifierOrigin(actor));
    const values: ProfileValues = { firstName: body.firstName, lastName: body.lastName, address: body.address, postalCode: body.postalCode };
    if (!values.firstName?.trim() && !values.lastName?.trim() && identifiers.length === 0) {
      throw badRequest([{ field: 'firstName', reason: 'a contact needs a name, an email or a phone' }]);
    }
    const contactId = await this.unitOfWork.run(async (tx) => {
      const contact = blankContact(actor.accountId);
      applyFieldValues(contact, values, source);
      await tx.insert(Contact, contact);
      const held = await insertIdentifiers(tx, actor.accountId, contact.id, identifiers);
      if (held.length > 0) throw heldElsewhereConflict(held[0]!);
      const stored = await tx.find(Identifier, { where: { contactId: contact.id }, order: { createdAt: 'ASC' } });
      await this.outbox.add(tx, ContactCreatedEvent, {
        accountId: actor.accountId, contactId: contact.id, contact: contactSnapshot(contact, stored), origin: 'api',
        createdAt: contact.createdAt.toISOString(),
      }, contact.id);
      return contact.id;
    });
    return this.detail(actor.accountId, contactId);
  }

  /** Applies the edit by precedence; values a higher-ranked source set are kept and listed under `ignored`. */
  async update(actor: Actor, contactId: string, body: UpdateContactDto) {
    const source = sourceOfActor(actor);
    const ignored = await this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const before = { ...contact };
      const changed = applyFieldValues(contact, body, source);
      await tx.update(Contact, { id: contact.id }, {
        firstName: contact.firstName, lastName: contact.lastName, address: contact.address, postalCode: contact.postalCode,
        fieldSources: contact.fieldSources,
      });
      await contactChanged(tx, this.outbox, contact, changed);
      return notApplied(before, contact, body, source);
    });
    return { ...(await this.detail(actor.accountId, contactId)), ignored };
  }
}

/** A contact that may be edited: one of the account's, not merged into another. */
export async function editableContact(tx: EntityManager, accountId: string, contactId: string): Promise<Contact> {
  const contact = await lockContact(tx, accountId, contactId);
  if (!contact) throw new NotFoundException(`contact ${contactId} not found in this account`);
  if (contact.mergedIntoId) {
    throw new ConflictException(`contact ${contactId} was merged into contact ${contact.mergedIntoId}: change that one instead`);
  }
  return contact;
}

export function blankContact(accountId: string): Contact {
  const now = new Date();
  return Object.assign(new Contact(), {
    id: uuidv7(), accountId, role: 'lead', firstName: null, lastName: null, address: null, postalCode: null,
    fieldSources: {}, companyId: null, originalConversationId: null, createdAt: now, updatedAt: now,
  });
}

function newIdentifiers(body: CreateContactDto, region: string, origin: string): NewIdentifier[] {
  const problems: FieldProblem[] = [];
  const identifiers: NewIdentifier[] = [];
  const add = (kind: IdentifierKind, field: string, values: string[] | undefined): void => {
    (values ?? []).forEach((raw, index) => {
      const result = normaliseIdentifier(kind, raw, region);
      if (result.ok) identifiers.push({ kind, value: result.value, verified: false, source: origin });
      else problems.push({ field: `${field}[${index}]`, reason: result.reason });
    });
  };
  add('email', 'emails', body.emails);
  add('phone', 'phones', body.phones);
  if (problems.length > 0) throw badRequest(problems);
  return identifiers;
}

function notApplied(before: Contact, after: Contact, body: UpdateContactDto, source: FieldSource) {
  return PROFILE_FIELDS.filter((field) => body[field] !== undefined && (body[field]?.trim() || null) !== after[field])
    .map((field) => ({
      field,
      reason: `kept the value a ${sourceOf(before, field)} set: a ${source}'s value does not replace it`,
    }));
}
