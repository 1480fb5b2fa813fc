import { ContactErasedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { Contact } from '../contacts/contact.entity';
import { ContactErasure } from './contact-erasure.entity';

export interface ErasureResult {
  contactId: string;
  /** The contact and every contact merged into it: one person. */
  erasedContactIds: string[];
  conversationIds: string[];
  erasedAt: string;
  alreadyErased: boolean;
}

/**
 * Right to be forgotten. The contact row is deleted, and with it (ON DELETE CASCADE) its identifiers, claims,
 * conversation links, summaries, duplicate suggestions and anything else hung on it; merge audit records keep
 * only ids; the published events about it that the outbox still keeps are deleted.
 * `identity.v1.contact.erased` tells every other service to remove what it holds.
 */
@Injectable()
export class ErasureService {
  constructor(private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox, private readonly dataSource: DataSource) {}

  async erase(accountId: string, contactId: string, actor: Actor): Promise<ErasureResult> {
    const result = await this.unitOfWork.run(async (tx) => {
      const contact = await tx.findOne(Contact, { where: { id: contactId, accountId }, lock: { mode: 'pessimistic_write' } });
      if (!contact) return this.alreadyErased(tx, accountId, contactId);
      const family = await mergeFamily(tx, contact);
      const conversationIds = (await tx.query(
        `SELECT conversation_id FROM conversation_links WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at`, [family],
      ) as { conversation_id: string }[]).map((row) => row.conversation_id);
      await tx.query(`UPDATE contact_merges SET survivor_before = '{}'::jsonb
                       WHERE account_id = $1 AND (survivor_id = ANY($2::uuid[]) OR merged_id = ANY($2::uuid[]))`, [accountId, family]);
      await tx.query(`DELETE FROM contacts WHERE id = ANY($1::uuid[])`, [family]);
      await forgetPublishedEvents(tx, family);
      const erasedAt = new Date();
      for (const id of family) {
        await tx.insert(ContactErasure, { contactId: id, accountId, erasedBy: actor, erasedAt });
        await this.outbox.add(tx, ContactErasedEvent, {
          accountId, contactId: id, conversationIds: id === family[0] ? conversationIds : [], erasedAt: erasedAt.toISOString(),
        }, id);
      }
      return { contactId, erasedContactIds: family, conversationIds, erasedAt: erasedAt.toISOString(), alreadyErased: false };
    });
    if (!result.alreadyErased) await this.forgetWhenPublished(result.erasedContactIds);
    return result;
  }

  /**
   * Events about the person that were being published as the erasure committed were still unsent rows then, so
   * they stayed (a publish is marked sent up to 50 ms later, gathered with others). Once marked, they go too.
   * Waits at most SETTLE_MS: an event still unpublished by then (NATS unreachable) is kept to be published, and
   * leaves with the outbox's retention.
   */
  private async forgetWhenPublished(contactIds: string[]): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    while (Date.now() < deadline) {
      // A read on its own: no transaction to open and commit every 25 ms.
      const [row] = await queryPrepared<{ n: number }>(this.dataSource.manager,
        `SELECT count(*)::int AS n FROM outbox_events WHERE sent_at IS NULL AND type <> $2 AND ${ABOUT_CONTACTS}`,
        [contactIds, ContactErasedEvent.type]);
      if (row!.n === 0) break;
      await sleep(25);
    }
    await this.unitOfWork.run((tx) => forgetPublishedEvents(tx, contactIds));
  }

  /** Erasing twice answers as the first time did; a contact that never existed is 404. */
  private async alreadyErased(tx: EntityManager, accountId: string, contactId: string): Promise<ErasureResult> {
    const erasure = await tx.findOneBy(ContactErasure, { contactId, accountId });
    if (!erasure) throw new NotFoundException(`contact ${contactId} not found in this account`);
    return { contactId, erasedContactIds: [contactId], conversationIds: [], erasedAt: erasure.erasedAt.toISOString(), alreadyErased: true };
  }
}

/**
 * The relay keeps published events in the outbox for a while (an hour by default) and they carry the contact's
 * snapshot; the published ones about these contacts go now. Unpublished ones stay: they are published before the
 * erasure's own events (the relay keeps the outbox's order), so every consumer still ends with the erasure.
 */
async function forgetPublishedEvents(tx: EntityManager, contactIds: string[]): Promise<void> {
  await tx.query(`DELETE FROM outbox_events WHERE sent_at IS NOT NULL AND ${ABOUT_CONTACTS}`, [contactIds]);
}

/** An outbox row about one of the contacts $1. */
const ABOUT_CONTACTS = `(ce_subject = ANY($1::text[]) OR payload->>'contactId' = ANY($1::text[])
  OR payload->>'mergedContactId' = ANY($1::text[]) OR payload->>'restoredContactId' = ANY($1::text[]))`;

/** How long an erasure waits for the events about the person that were in flight to be published. */
const SETTLE_MS = 2_000;

/**
 * The person behind a contact: the live contact at the end of its merge chain first, then every contact merged
 * into it, directly or not. A merged contact's data lives on in its survivor, so erasing either erases both.
 */
async function mergeFamily(tx: EntityManager, contact: Contact): Promise<string[]> {
  let root = contact;
  for (let hops = 0; root.mergedIntoId && hops < 20; hops++) {
    root = (await tx.findOne(Contact, { where: { id: root.mergedIntoId }, lock: { mode: 'pessimistic_write' } })) ?? root;
    if (root.id === contact.id) break;
  }
  const rows = (await tx.query(
    `WITH RECURSIVE family AS (
       SELECT id FROM contacts WHERE id = $1
       UNION SELECT c.id FROM contacts c JOIN family f ON c.merged_into_id = f.id
     ) SELECT id FROM family`, [root.id],
  )) as { id: string }[];
  return [root.id, ...rows.map((row) => row.id).filter((id) => id !== root.id)];
}
