import { ContactsMergedEvent, ContactsUnmergedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Contact } from '../contacts/contact.entity';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { fillBlanksFrom, PROFILE_FIELDS } from '../contacts/field-precedence';
import { Identifier } from '../contacts/identifier.entity';
import { lockClaims } from '../resolution/identifier-writes';
import { ContactMerge, UNMERGE_WINDOW_DAYS, unmergeRefusal, type MovedByMerge } from './contact-merge.entity';
import { moveCustomData, moveCustomDataBack } from '../custom-data/custom-data-moves';
import { moveBack, moveEverything } from './contact-moves';

@Injectable()
export class MergeService {
  constructor(private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox) {}

  /**
   * Merges `otherId` into `survivorId`: the survivor keeps its fields and fills its blanks from the other, takes
   * its identifiers, conversations and summaries; the other is kept hidden (merged_into_id) for an unmerge.
   */
  async merge(accountId: string, survivorId: string, otherId: string, actor: Actor) {
    if (survivorId === otherId) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'otherContactId: a contact cannot be merged with itself',
        fields: [{ field: 'otherContactId', reason: 'must be another contact than the one in the path' }] });
    }
    return this.unitOfWork.run(async (tx) => {
      const { [survivorId]: survivor, [otherId]: other } = await lockContacts(tx, accountId, [survivorId, otherId]);
      await refuseTwoUsers(tx, survivor!, other!);
      await lockClaims(tx, accountId, await tx.findBy(Identifier, { contactId: other!.id }));
      const before = { role: survivor!.role, fields: pick(survivor!), fieldSources: { ...survivor!.fieldSources } };
      const filledFields = fillBlanksFrom(survivor!, other!);
      const moved: MovedByMerge = { ...(await moveEverything(tx, other!.id, survivor!.id)), filledFields };
      const now = new Date();
      if (other!.role === 'user') survivor!.role = 'user';
      survivor!.updatedAt = now;
      await tx.save(Contact, survivor!);
      // After the survivor is saved: this writes the survivor's company column itself.
      moved.customData = await moveCustomData(tx, other!.id, survivor!.id);
      await tx.update(Contact, { id: other!.id }, { mergedIntoId: survivor!.id, updatedAt: now });
      await tx.query(`UPDATE duplicate_suggestions SET status = 'merged', updated_at = now()
                       WHERE account_id = $1 AND contact_a_id = $2 AND contact_b_id = $3`, [accountId, ...[survivorId, otherId].sort()]);
      const record = tx.create(ContactMerge, {
        id: uuidv7(), accountId, survivorId, mergedId: otherId, mergedBy: actor, survivorBefore: before, moved,
        mergedAt: now, unmergedAt: null, unmergedBy: null,
      });
      await tx.insert(ContactMerge, record);
      const snapshot = contactSnapshot(survivor!, await tx.findBy(Identifier, { contactId: survivorId }));
      await this.outbox.add(tx, ContactsMergedEvent, {
        accountId, mergeId: record.id, survivorContactId: survivorId, mergedContactId: otherId, survivor: snapshot,
        conversationIds: moved.conversationIds, mergedAt: now.toISOString(),
      }, survivorId);
      return { ...view(record), survivor: snapshot };
    });
  }

  /** Restores both contacts as they were, within 30 days; 409 with the reason otherwise. */
  async unmerge(accountId: string, mergeId: string, actor: Actor) {
    return this.unitOfWork.run(async (tx) => {
      const record = await tx.findOne(ContactMerge, { where: { id: mergeId, accountId }, lock: { mode: 'pessimistic_write' } });
      if (!record) throw new NotFoundException(`merge ${mergeId} not found in this account`);
      const refusal = unmergeRefusal(record, new Date());
      if (refusal) throw conflict(refusal);
      const contacts = await lockContacts(tx, accountId, [record.survivorId, record.mergedId], true);
      const survivor = contacts[record.survivorId];
      const restored = contacts[record.mergedId];
      if (!survivor || !restored) throw conflict('one of the two contacts was erased since the merge, so it cannot be restored');
      if (survivor.mergedIntoId) {
        throw conflict(`the survivor was itself merged into contact ${survivor.mergedIntoId} since: undo that merge first`);
      }
      const back = await moveBack(tx, record.moved, survivor.id, restored.id);
      restoreSurvivor(survivor, restored, record);
      if (survivor.role === 'user' && record.survivorBefore.role === 'lead' && !(await holdsExternalUser(tx, survivor.id))) survivor.role = 'lead';
      const now = new Date();
      survivor.updatedAt = now;
      await tx.save(Contact, survivor);
      // After the survivor is saved: this writes the survivor's company column itself.
      if (record.moved.customData) await moveCustomDataBack(tx, record.moved.customData, survivor.id, restored.id);
      await tx.update(Contact, { id: restored.id }, { mergedIntoId: null, updatedAt: now });
      restored.mergedIntoId = null;
      // A member merged them and then undid it: not the same person, so the pair is not suggested again.
      await tx.query(`UPDATE duplicate_suggestions SET status = 'dismissed', updated_at = now()
                       WHERE account_id = $1 AND contact_a_id = $2 AND contact_b_id = $3`, [accountId, ...[survivor.id, restored.id].sort()]);
      record.unmergedAt = now;
      record.unmergedBy = actor;
      await tx.save(ContactMerge, record);
      const survivorSnapshot = contactSnapshot(survivor, await tx.findBy(Identifier, { contactId: survivor.id }));
      const restoredSnapshot = contactSnapshot(restored, await tx.findBy(Identifier, { contactId: restored.id }));
      await this.outbox.add(tx, ContactsUnmergedEvent, {
        accountId, mergeId, survivorContactId: survivor.id, restoredContactId: restored.id, survivor: survivorSnapshot,
        restored: restoredSnapshot, conversationIds: back.conversationIds, unmergedAt: now.toISOString(),
      }, survivor.id);
      return { ...view(record), survivor: survivorSnapshot, restored: restoredSnapshot };
    });
  }

  async list(accountId: string, contactId?: string) {
    const where = contactId ? [{ accountId, survivorId: contactId }, { accountId, mergedId: contactId }] : { accountId };
    const records = await this.dataSource.manager.find(ContactMerge, { where, order: { mergedAt: 'DESC' }, take: 200 });
    return records.map(view);
  }

  async get(accountId: string, mergeId: string) {
    const record = await this.dataSource.manager.findOneBy(ContactMerge, { id: mergeId, accountId });
    if (!record) throw new NotFoundException(`merge ${mergeId} not found in this account`);
    return view(record);
  }
}

/** Locks the contacts in id order (no deadlock between two merges of the same pair in opposite directions). */
async function lockContacts(tx: EntityManager, accountId: string, ids: string[], allowMerged = false): Promise<Record<string, Contact>> {
  const found: Record<string, Contact> = {};
  for (const id of [...ids].sort()) {
    const contact = await tx.findOne(Contact, { where: { id, accountId }, lock: { mode: 'pessimistic_write' } });
    if (!contact) {
      if (allowMerged) continue;
      throw new NotFoundException(`contact ${id} not found in this account`);
    }
    if (contact.mergedIntoId && !allowMerged) {
      throw conflict(`contact ${id} was already merged into contact ${contact.mergedIntoId}: merge with that one instead`);
    }
    found[id] = contact;
  }
  return found;
}

/** Two different signed-up users are two people, whatever else they share. */
async function refuseTwoUsers(tx: EntityManager, a: Contact, b: Contact): Promise<void> {
  const ofA = await tx.findBy(Identifier, { contactId: a.id, kind: 'external_user' });
  const ofB = await tx.findBy(Identifier, { contactId: b.id, kind: 'external_user' });
  if (ofA.length > 0 && ofB.length > 0) {
    throw conflict(`both contacts are signed-up users with different external user ids (${ofA[0]!.value}, ${ofB[0]!.value}): ` +
      'they are two people and are never merged');
  }
}

async function holdsExternalUser(tx: EntityManager, contactId: string): Promise<boolean> {
  return (await tx.countBy(Identifier, { contactId, kind: 'external_user' })) > 0;
}

/** Blanks the merge filled go back to blank, unless someone changed them since (that edit is kept). */
function restoreSurvivor(survivor: Contact, restored: Contact, record: ContactMerge): void {
  const sources = { ...survivor.fieldSources };
  for (const field of record.moved.filledFields) {
    if (survivor[field] !== restored[field]) continue;
    survivor[field] = record.survivorBefore.fields?.[field] ?? null;
    const before = record.survivorBefore.fieldSources?.[field];
    if (before) sources[field] = before;
    else delete sources[field];
  }
  survivor.fieldSources = sources;
}

function pick(contact: Contact) {
  return Object.fromEntries(PROFILE_FIELDS.map((field) => [field, contact[field]]));
}

function conflict(message: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message });
}

function view(record: ContactMerge) {
  const undoableUntil = new Date(record.mergedAt.getTime() + UNMERGE_WINDOW_DAYS * 86_400_000);
  return {
    mergeId: record.id, survivorContactId: record.survivorId, mergedContactId: record.mergedId, mergedBy: record.mergedBy,
    mergedAt: record.mergedAt, unmergedAt: record.unmergedAt, unmergedBy: record.unmergedBy, undoableUntil,
    moved: {
      identifiers: record.moved.identifierIds.length, conversationIds: record.moved.conversationIds,
      summaries: record.moved.summaryIds.length, filledFields: record.moved.filledFields,
      events: record.moved.customData?.eventIds.length ?? 0, attributes: record.moved.customData?.attributeKeys ?? [],
      companyId: record.moved.customData?.companyId ?? null,
    },
  };
}
