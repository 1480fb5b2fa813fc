import { ContactCreatedEvent, ContactUpdatedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { identifierField } from '../contacts/contact-changes';
import { holdersOf, type NewIdentifier } from '../contacts/contact-identifiers';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { Contact } from '../contacts/contact.entity';
import { blankContact } from '../contacts/contacts.service';
import { applyFieldValues } from '../contacts/field-precedence';
import { Identifier } from '../contacts/identifier.entity';
import { readImportFile, type ImportRow } from './import-file';
import { identifierKey, planImport, type ImportPlan } from './import-plan';
import { insertContacts, updateContacts, upsertIdentifiers } from './import-writes';

export type RowOutcome =
  | { line: number; outcome: 'created' | 'matched'; contactId: string }
  | { line: number; outcome: 'rejected'; reason: string };

export interface ImportReport {
  created: number;
  matched: number;
  rejected: number;
  rows: RowOutcome[];
}

/** Events per INSERT into the outbox: 7 parameters each stay under PostgreSQL's 65,535. */
const EVENTS_PER_STATEMENT = 1000;

/**
 * A CSV import: identifiers verified (the business vouches for them), rows deduplicated on exact identifiers
 * against stored contacts and earlier rows, values written as the business's systems' (source `system`: they
 * replace what the AI captured, never a member's edit). Set-based in one transaction, so 10,000 rows take
 * seconds and the report is returned only once all it lists is committed, with `identity.v1.contact.created`
 * (origin `import`) for each new contact and `identity.v1.contact.updated` for each changed one.
 */
@Injectable()
export class ContactImportService {
  constructor(
    private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox,
    private readonly settings: AccountSettingsService,
  ) {}

  /** Throws ImportFileError for a bad file, before anything is stored. */
  async import(actor: Actor, csv: string, maxRows: number): Promise<ImportReport> {
    const region = (await this.settings.forAccount(this.dataSource.manager, actor.accountId)).defaultPhoneRegion;
    const file = readImportFile(csv, region, maxRows);
    const { plan, contactIds } = await this.unitOfWork.run((tx) => this.apply(tx, actor.accountId, file.rows));
    const rows: RowOutcome[] = [
      ...plan.rows.map(({ row, target, outcome }) => ({ line: row.line, outcome, contactId: contactIds.get(target)! })),
      ...[...file.rejected, ...plan.rejected].map(({ line, reason }) => ({ line, outcome: 'rejected' as const, reason })),
    ].sort((a, b) => a.line - b.line);
    return {
      created: rows.filter((r) => r.outcome === 'created').length,
      matched: rows.filter((r) => r.outcome === 'matched').length,
      rejected: rows.filter((r) => r.outcome === 'rejected').length,
      rows,
    };
  }

  private async apply(tx: EntityManager, accountId: string, rows: ImportRow[]) {
    const held = await holdersOf(tx, accountId, uniqueIdentifiers(rows));
    const plan = planImport(rows, new Map(held.map((h) => [identifierKey(h), h.contactId])));
    const contacts = await this.contactsOf(tx, accountId, plan);
    const changed = new Map<string, Set<string>>();
    for (const { row, target } of plan.rows) {
      const fields = applyFieldValues(contacts.get(target)!, row.values, 'system');
      if (!target.startsWith('new:')) addAll(changed, target, fields);
    }
    const created = [...contacts].filter(([target]) => target.startsWith('new:')).map(([, contact]) => contact);
    const matched = [...contacts].filter(([target]) => !target.startsWith('new:')).map(([, contact]) => contact);
    await insertContacts(tx, created);
    const heldBefore = new Set(held.map(identifierKey));
    const identifiers = plannedIdentifiers(plan, contacts);
    for (const { contactId, kind, value } of identifiers) {
      if (!contactId.startsWith('new:') && !heldBefore.has(identifierKey({ kind, value })) && contacts.has(contactId)) addAll(changed, contactId, [identifierField(kind)]);
    }
    const taken = await upsertIdentifiers(tx, accountId, identifiers.map((i) => ({ ...i, contactId: contacts.get(i.contactId)!.id })));
    if (taken.length > 0) {
      throw new ConflictException(`${taken[0]!.kind} ${taken[0]!.value} was taken by another contact while importing: nothing was imported; send the file again`);
    }
    const now = new Date();
    for (const contact of matched) if (changed.has(contact.id)) contact.updatedAt = now;
    await updateContacts(tx, matched);
    await this.publish(tx, created, matched.filter((c) => changed.has(c.id)), changed);
    return { plan, contactIds: new Map([...contacts].map(([target, contact]) => [target, contact.id])) };
  }

  /** The stored contacts the plan matches (locked), and a new one for each `new:<n>`. */
  private async contactsOf(tx: EntityManager, accountId: string, plan: ImportPlan): Promise<Map<string, Contact>> {
    const storedIds = [...new Set(plan.rows.map((r) => r.target).filter((t) => !t.startsWith('new:')))];
    const stored = storedIds.length === 0 ? [] : await tx.createQueryBuilder(Contact, 'c')
      .where('c.id = ANY(:ids) AND c.account_id = :accountId', { ids: storedIds, accountId }).setLock('pessimistic_write').getMany();
    const contacts = new Map<string, Contact>(stored.map((c) => [c.id, c]));
    for (let n = 0; n < plan.newContacts; n++) contacts.set(`new:${n}`, blankContact(accountId));
    return contacts;
  }

  private async publish(tx: EntityManager, created: Contact[], updated: Contact[], changed: Map<string, Set<string>>): Promise<void> {
    const ids = [...created, ...updated].map((c) => c.id);
    const identifiers = ids.length === 0 ? [] : await tx.createQueryBuilder(Identifier, 'i')
      .where('i.contact_id = ANY(:ids)', { ids }).orderBy('i.created_at', 'ASC').getMany();
    const byContact = groupBy(identifiers, (i) => i.contactId);
    for (let start = 0; start < created.length; start += EVENTS_PER_STATEMENT) {
      await this.outbox.addMany(tx, ContactCreatedEvent, created.slice(start, start + EVENTS_PER_STATEMENT).map((contact) => ({
        payload: {
          accountId: contact.accountId, contactId: contact.id, contact: contactSnapshot(contact, byContact.get(contact.id) ?? []),
          origin: 'import' as const, createdAt: contact.createdAt.toISOString(),
        },
        ceSubject: contact.id,
      })));
    }
    for (let start = 0; start < updated.length; start += EVENTS_PER_STATEMENT) {
      await this.outbox.addMany(tx, ContactUpdatedEvent, updated.slice(start, start + EVENTS_PER_STATEMENT).map((contact) => ({
        payload: {
          accountId: contact.accountId, contactId: contact.id, contact: contactSnapshot(contact, byContact.get(contact.id) ?? []),
          changedFields: [...changed.get(contact.id)!], updatedAt: contact.updatedAt.toISOString(),
        },
        ceSubject: contact.id,
      })));
    }
  }
}

/** Each identifier of the file once, with the plan's target (`new:<n>` or a contact id) as its contact. */
function plannedIdentifiers(plan: ImportPlan, contacts: Map<string, Contact>): (NewIdentifier & { contactId: string })[] {
  const byKey = new Map<string, NewIdentifier & { contactId: string }>();
  for (const { row, target } of plan.rows) {
    if (!contacts.has(target)) continue;
    for (const identifier of row.identifiers) {
      byKey.set(identifierKey(identifier), { ...identifier, verified: true, source: 'import', contactId: target });
    }
  }
  return [...byKey.values()];
}

function uniqueIdentifiers(rows: readonly ImportRow[]) {
  return [...new Map(rows.flatMap((r) => r.identifiers).map((i) => [identifierKey(i), i])).values()];
}

function addAll(map: Map<string, Set<string>>, key: string, values: readonly string[]): void {
  if (values.length === 0) return;
  const set = map.get(key) ?? new Set<string>();
  for (const value of values) set.add(value);
  map.set(key, set);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
