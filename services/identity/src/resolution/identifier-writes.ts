import { runBatchStatement, type BatchStatement } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Contact } from '../contacts/contact.entity';
import { holdersOf } from '../contacts/contact-identifiers';
import { recordClaimsSql } from './identifier-claims-store';
import { identifierKey, type ExistingIdentifier, type IdentityClaim } from './identity-claims';

/**
 * Serialises work on the same identifiers, so 50 conversations racing with one email make one contact: the later
 * ones wait here, then see the first one's identifiers. Sorted to avoid lock-order deadlocks. Identify and merge
 * take the same locks.
 */
export async function lockClaims(tx: EntityManager, accountId: string, claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[]): Promise<void> {
  await runBatchStatement(tx, claimLocks(tx, [{ accountId, claims }]));
}

/**
 * The statement that takes the claims' locks the transaction does not hold yet, and what to call once it ran (the
 * locks are then the transaction's); undefined when it holds them all. A consumer's batch (one transaction) sends it
 * for the claims of all its conversations, with its inbox claim, so they are taken in one sorted order: taken event by
 * event they would be out of order across the batch, and two lanes could deadlock. Each handler's own lockClaims then
 * costs no round trip.
 */
export function claimLocks(
  tx: EntityManager, claimsByAccount: readonly { accountId: string; claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[] }[],
): BatchStatement | undefined {
  let held = heldClaims.get(tx);
  if (!held) heldClaims.set(tx, held = new Set());
  const keys = [...new Set(claimsByAccount.flatMap(({ accountId, claims }) =>
    claims.map((claim) => `${accountId}:${claim.kind}:${claim.value}`)))].filter((key) => !held.has(key)).sort();
  if (keys.length === 0) return undefined;
  return {
    // One statement: a function scan yields the array's elements in order, so the locks are taken in sorted order.
    statement: { text: 'SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest($1::text[]) AS key', values: [keys] },
    answered: () => { for (const key of keys) held.add(key); },
  };
}

/** The claim locks each open transaction holds (until it ends): asking again for one costs no round trip. */
const heldClaims = new WeakMap<EntityManager, Set<string>>();

/**
 * The contact, locked against a concurrent merge or erasure; a contact merged meanwhile resolves to its survivor.
 * Fails (and the event is retried) if it was erased meanwhile: on retry its identifiers are gone.
 */
export async function lockLiveContact(tx: EntityManager, contactId: string): Promise<Contact> {
  let contact = await tx.findOne(Contact, { where: { id: contactId }, lock: { mode: 'pessimistic_write' } });
  for (let hops = 0; contact?.mergedIntoId && hops < 20; hops++) {
    contact = await tx.findOne(Contact, { where: { id: contact.mergedIntoId }, lock: { mode: 'pessimistic_write' } });
  }
  if (!contact || contact.mergedIntoId) throw new Error(`contact ${contactId} no longer exists (erased or merged away); retry resolves again`);
  return contact;
}

/** What `addIdentifiers` writes in its statement too, saving round trips on every resolution. */
export interface AlsoWritten {
  /** The claims to record for the contact (identifier_claims: recordClaimsSql), whichever of them it gets. */
  recordingClaims?: readonly IdentityClaim[];
  /** The contact is new: its row is inserted first. */
  creatingContact?: boolean;
  /** The conversation to link to the contact, with the cycle's summary (every resolution writes both). */
  linking?: LinkAndSummary;
}

/** A conversation's link to the contact it resolved to, and the cycle's summary. */
export interface LinkAndSummary {
  conversationId: string;
  /** Linked to a contact whose own conversation is another one (a returning visitor's). */
  duplicate: boolean;
  summaryId: string;
  cycle: number;
  summary: string;
  signals: object;
  at: Date;
}

/** An identifier a contact holds, as its snapshot lists them (identifiersOf's order: oldest first). */
export interface HeldIdentifier {
  kind: IdentityClaim['kind'];
  value: string;
}

/**
 * Identifiers from $1, $4..$7 for account $2 and contact $3, after recording claims $8/$9 (empty: none), and after
 * whatever `before` writes (a CTE, with its trailing comma). Answers the rows it wrote ('written') and every
 * identifier the contact holds afterwards ('held', oldest first: what identifiersOf would read next), so the
 * contact's snapshot needs no read of its own. The statement's reads see the table as it was before it, so the
 * identifiers held are those from before plus the ones inserted here.
 */
const identifiersAfter = (before: string) => `WITH ${before} claimed AS (${recordClaimsSql('$2', '$3', '$8', '$9')}),
  written AS (
    INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
    SELECT u.id, $2, $3, u.kind, u.value, u.verified, u.source
      FROM unnest($1::uuid[], $4::text[], $5::text[], $6::boolean[], $7::text[]) AS u(id, kind, value, verified, source)
    ON CONFLICT (account_id, kind, value) DO UPDATE SET verified = true, source = EXCLUDED.source
      WHERE identifiers.contact_id = EXCLUDED.contact_id AND EXCLUDED.verified AND NOT identifiers.verified
    RETURNING id, kind, value, created_at),
  held_before AS (SELECT id, kind, value, created_at FROM identifiers WHERE contact_id = $3)
  SELECT part, kind, value FROM (
    SELECT 'written' AS part, kind, value, NULL::timestamptz AS created_at, NULL::uuid AS id FROM written
    UNION ALL
    SELECT 'held', kind, value, created_at, id FROM held_before
    UNION ALL
    SELECT 'held', w.kind, w.value, w.created_at, w.id FROM written w
      WHERE NOT EXISTS (SELECT 1 FROM held_before b WHERE b.kind = w.kind AND b.value = w.value)
  ) answer ORDER BY part, created_at, id`;

/** A cycle's summary (contact_summaries), as SQL with these expressions for its columns. */
export function summaryInsertSql(c: Record<'id' | 'account' | 'contact' | 'conversation' | 'cycle' | 'summary' | 'signals' | 'at', string>): string {
  return `INSERT INTO contact_summaries (id, account_id, contact_id, conversation_id, cycle, summary, signals, created_at)
    VALUES (${c.id}, ${c.account}, ${c.contact}, ${c.conversation}, ${c.cycle}, ${c.summary}, ${c.signals}::jsonb, ${c.at})`;
}

/** A new contact's row ($3, $2, $10..$18), inserted in the same statement as its identifiers. */
const NEW_CONTACT = `contact AS (
    INSERT INTO contacts (id, account_id, role, first_name, last_name, address, postal_code, field_sources, company_id,
      original_conversation_id, merged_into_id, created_at, updated_at)
    VALUES ($3, $2, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, NULL, $18, $18)),`;

/** The conversation's link and the cycle's summary for contact $3 of account $2, from parameter $`first` on. */
const linkFrom = (first: number) => {
  const p = (offset: number) => `$${first + offset}`;
  return `link AS (
    INSERT INTO conversation_links (conversation_id, account_id, contact_id, duplicate, created_at)
    VALUES (${p(0)}, $2, $3, ${p(1)}, ${p(2)})),
  summary AS (${summaryInsertSql({
    id: p(3), account: '$2', contact: '$3', conversation: p(0), cycle: p(4), summary: p(5), signals: p(6), at: p(2),
  })}),`;
};

/** The statement for what is written with the identifiers: a new contact first, a link and summary. */
const STATEMENTS = {
  plain: identifiersAfter(''),
  linking: identifiersAfter(linkFrom(10)),
  creating: identifiersAfter(NEW_CONTACT),
  creatingLinking: identifiersAfter(NEW_CONTACT + linkFrom(19)),
};

function contactValues(contact: Contact): unknown[] {
  return [contact.role, contact.firstName, contact.lastName, contact.address, contact.postalCode,
    JSON.stringify(contact.fieldSources), contact.companyId ?? null, contact.originalConversationId, contact.createdAt];
}

function linkValues(link: LinkAndSummary): unknown[] {
  return [link.conversationId, link.duplicate, link.at, link.summaryId, link.cycle, link.summary, JSON.stringify(link.signals)];
}

/**
 * Adds the claims no other contact holds; one that another contact owns stays with that contact. A verified
 * claim of an identifier the contact already holds unverified makes it verified.
 *
 * `seen`: the stored identifiers the caller decided on. Writers that do not take the advisory locks (the
 * contacts API, CSV import) rely on the UNIQUE (account_id, kind, value) constraint alone, so one of them can
 * take an identifier between the caller's look-up and this insert. The constraint keeps it with that contact;
 * here that shows up as a claim refused although nobody held it when the caller looked, and this throws so the
 * event is retried and resolved again against what is stored now (a match, not a second contact).
 */
export async function addIdentifiers(
  tx: EntityManager, contact: Contact, claims: readonly IdentityClaim[], seen?: readonly ExistingIdentifier[],
  also: AlsoWritten = {},
): Promise<HeldIdentifier[] | undefined> {
  const recorded = also.recordingClaims ?? [];
  if (claims.length === 0 && recorded.length === 0 && !also.creatingContact && !also.linking) return undefined;
  const statement = also.creatingContact ? (also.linking ? STATEMENTS.creatingLinking : STATEMENTS.creating)
    : (also.linking ? STATEMENTS.linking : STATEMENTS.plain);
  const rows = await queryPrepared<HeldIdentifier & { part: 'written' | 'held' }>(tx, statement,
    [claims.map(() => uuidv7()), contact.accountId, contact.id, claims.map((c) => c.kind), claims.map((c) => c.value),
      claims.map((c) => c.verified), claims.map((c) => c.source), recorded.map((c) => c.kind), recorded.map((c) => c.value),
      ...(also.creatingContact ? contactValues(contact) : []), ...(also.linking ? linkValues(also.linking) : [])],
  );
  const held = rows.filter((row) => row.part === 'held').map(({ kind, value }) => ({ kind, value }));
  if (seen) await refuseTakenMeanwhile(tx, contact, claims, seen, rows.filter((row) => row.part === 'written'));
  return held;
}

async function refuseTakenMeanwhile(
  tx: EntityManager, contact: Contact, claims: readonly IdentityClaim[], seen: readonly ExistingIdentifier[], written: readonly HeldIdentifier[],
): Promise<void> {
  const known = new Set([...seen.map(identifierKey), ...written.map(identifierKey)]);
  const unexpected = claims.filter((claim) => !known.has(identifierKey(claim)));
  if (unexpected.length === 0) return;
  const takenMeanwhile = (await holdersOf(tx, contact.accountId, unexpected)).filter((held) => held.contactId !== contact.id);
  if (takenMeanwhile.length > 0) {
    const [held] = takenMeanwhile;
    throw new Error(`${held!.kind} ${held!.value} was given to contact ${held!.contactId} while this conversation was being ` +
      'resolved (by the contacts API or an import); the event is retried and resolves again');
  }
}
