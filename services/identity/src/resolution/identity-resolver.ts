import {
  ContactCreatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, ConversationAnalyzedEvent,
  type ContactField, type ConversationAnalyzed,
} from '@leadline/contracts';
import { OnEvent, Outbox, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { ContactSummary } from '../contacts/contact-summary.entity';
import { Contact } from '../contacts/contact.entity';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { ConversationLink } from '../contacts/conversation-link.entity';
import { Identifier } from '../contacts/identifier.entity';
import { claimsOf, type ExistingIdentifier, type IdentityClaim } from './identity-claims';
import { decideIdentity } from './identity-decision';

const PROFILE_FIELDS = ['firstName', 'lastName', 'address', 'postalCode'] as const;

/** Decides who each analysed conversation is with: already linked, matched, new, or still anonymous. */
@Injectable()
export class IdentityResolver {
  constructor(private readonly outbox: Outbox, private readonly settings: AccountSettingsService) {}

  @OnEvent(ConversationAnalyzedEvent, { purpose: 'resolve-conversation' })
  async onConversationAnalyzed(event: ReceivedEvent<ConversationAnalyzed>, tx: EntityManager): Promise<void> {
    const analyzed = event.data;
    const link = await tx.findOneBy(ConversationLink, { conversationId: analyzed.conversationId, accountId: analyzed.accountId });
    if (link) return this.summarise(tx, analyzed, link.contactId);

    const claims = claimsOf(analyzed);
    await lockClaims(tx, analyzed.accountId, claims);
    const existing = await findIdentifiers(tx, analyzed.accountId, claims);
    const settings = await this.settings.forAccount(tx, analyzed.accountId);
    const shared = ['firstName', 'lastName', 'email', 'phone'].some((f) => analyzed.fields[f as ContactField]);
    const decision = decideIdentity({
      claims, existing, policy: settings.matchingPolicy,
      capturable: shared && analyzed.capture.captureLeads && analyzed.visitorMessageCount > 0,
    });
    if (decision.kind === 'anonymous') return;
    if (decision.kind === 'create') return this.create(tx, analyzed, claims);

    const contact = await tx.findOneByOrFail(Contact, { id: decision.contactId });
    await this.fillBlanks(tx, contact, analyzed, settings.fillFields);
    await addIdentifiers(tx, contact, claims);
    const duplicate = contact.originalConversationId !== null && contact.originalConversationId !== analyzed.conversationId;
    await tx.insert(ConversationLink, {
      conversationId: analyzed.conversationId, accountId: analyzed.accountId, contactId: contact.id, duplicate, createdAt: new Date(),
    });
    await this.saveSummary(tx, analyzed, contact.id);
    const identifiers = await tx.findBy(Identifier, { contactId: contact.id });
    await this.outbox.add(tx, ContactMatchedEvent, {
      ...this.conversationPart(analyzed), contactId: contact.id, contact: contactSnapshot(contact, identifiers),
      matchedBy: decision.matchedBy,
      evidence: decision.evidence.map(({ kind, value, verified }) => ({ kind, value, verified })),
      originalConversationId: contact.originalConversationId, duplicateConversation: duplicate,
      suggestedContactIds: decision.suggestedContactIds, matchedAt: new Date().toISOString(),
    }, contact.id);
  }

  private async create(tx: EntityManager, analyzed: ConversationAnalyzed, claims: IdentityClaim[]): Promise<void> {
    const now = new Date();
    const contact = tx.create(Contact, {
      id: uuidv7(), accountId: analyzed.accountId, role: 'lead', originalConversationId: analyzed.conversationId,
      firstName: analyzed.fields.firstName?.value ?? null, lastName: analyzed.fields.lastName?.value ?? null,
      address: analyzed.fields.address?.value ?? null, postalCode: analyzed.fields.postalCode?.value ?? null,
      createdAt: now, updatedAt: now,
    });
    await tx.insert(Contact, contact);
    await addIdentifiers(tx, contact, claims);
    await tx.insert(ConversationLink, {
      conversationId: analyzed.conversationId, accountId: analyzed.accountId, contactId: contact.id, duplicate: false, createdAt: now,
    });
    await this.saveSummary(tx, analyzed, contact.id);
    const identifiers = await tx.findBy(Identifier, { contactId: contact.id });
    await this.outbox.add(tx, ContactCreatedEvent, {
      ...this.conversationPart(analyzed), contactId: contact.id, contact: contactSnapshot(contact, identifiers),
      createdAt: now.toISOString(),
    }, contact.id);
  }

  /** A later idle cycle of a linked conversation: fill blanks on the fill list, keep the summary, tell automations. */
  private async summarise(tx: EntityManager, analyzed: ConversationAnalyzed, contactId: string): Promise<void> {
    const contact = await tx.findOneByOrFail(Contact, { id: contactId });
    const settings = await this.settings.forAccount(tx, analyzed.accountId);
    await this.fillBlanks(tx, contact, analyzed, settings.fillFields);
    const summaryId = await this.saveSummary(tx, analyzed, contactId);
    const identifiers = await tx.findBy(Identifier, { contactId });
    await this.outbox.add(tx, ContactSummaryCreatedEvent, {
      ...this.conversationPart(analyzed), contactId, contact: contactSnapshot(contact, identifiers),
      cycle: analyzed.cycle, summaryId, createdAt: new Date().toISOString(),
    }, contactId);
  }

  /** A match never overwrites: only blank fields the account allows are filled. */
  private async fillBlanks(tx: EntityManager, contact: Contact, analyzed: ConversationAnalyzed, fillList: ContactField[]): Promise<void> {
    let changed = false;
    for (const field of PROFILE_FIELDS) {
      const value = analyzed.fields[field]?.value;
      if (value && fillList.includes(field) && !contact[field]) {
        contact[field] = value;
        changed = true;
      }
    }
    if (!changed) return;
    contact.updatedAt = new Date();
    await tx.save(Contact, contact);
  }

  private async saveSummary(tx: EntityManager, analyzed: ConversationAnalyzed, contactId: string): Promise<string> {
    const id = uuidv7();
    await tx.insert(ContactSummary, {
      id, accountId: analyzed.accountId, contactId, conversationId: analyzed.conversationId, cycle: analyzed.cycle,
      summary: analyzed.summary, signals: analyzed.signals, createdAt: new Date(),
    });
    return id;
  }

  private conversationPart(analyzed: ConversationAnalyzed) {
    return {
      accountId: analyzed.accountId, conversationId: analyzed.conversationId, channel: analyzed.channel,
      conversationUrl: analyzed.conversationUrl, summary: analyzed.summary, signals: analyzed.signals,
    };
  }
}

/**
 * Serialises conversations that claim the same identifier, so 50 racing with one email make one contact:
 * the later ones wait here, then see the first one's identifiers. Sorted to avoid lock-order deadlocks.
 */
async function lockClaims(tx: EntityManager, accountId: string, claims: IdentityClaim[]): Promise<void> {
  const keys = claims.map((claim) => `${accountId}:${claim.kind}:${claim.value}`).sort();
  for (const key of keys) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

async function findIdentifiers(tx: EntityManager, accountId: string, claims: IdentityClaim[]): Promise<ExistingIdentifier[]> {
  if (claims.length === 0) return [];
  const found = await tx.findBy(Identifier, { accountId, value: In(claims.map((claim) => claim.value)) });
  return found
    .filter((identifier) => claims.some((claim) => claim.kind === identifier.kind && claim.value === identifier.value))
    .map(({ kind, value, verified, contactId }) => ({ kind, value, verified, contactId }));
}

/** Adds the claims no other contact holds; one that another contact owns stays with that contact. */
async function addIdentifiers(tx: EntityManager, contact: Contact, claims: IdentityClaim[]): Promise<void> {
  for (const claim of claims) {
    await tx.query(
      `INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, kind, value) DO NOTHING`,
      [uuidv7(), contact.accountId, contact.id, claim.kind, claim.value, claim.verified, claim.source],
    );
  }
}
