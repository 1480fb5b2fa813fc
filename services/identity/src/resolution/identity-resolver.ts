import {
  ContactCreatedEvent, ContactMatchedEvent, ContactSummaryCreatedEvent, ConversationAnalyzedEvent,
  type ContactField, type ConversationAnalyzed,
} from '@leadline/contracts';
import { OnEvent, Outbox, type BatchStatement, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Contact } from '../contacts/contact.entity';
import { identifiersOf } from '../contacts/contact-identifiers';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { applyFieldValues, PROFILE_FIELDS, type ProfileValues } from '../contacts/field-precedence';
import { recordSuggestions } from '../suggestions/suggestion-store';
import { claimsOf, convertsToUser, isCaptured, type ExistingIdentifier, type IdentityClaim } from './identity-claims';
import { decideIdentity, type SuggestedDuplicate } from './identity-decision';
import {
  addIdentifiers, claimLocks, lockClaims, lockLiveContact, summaryInsertSql, type HeldIdentifier,
  type LinkAndSummary,
} from './identifier-writes';
import { resolutionFacts, type ResolutionFacts } from './resolution-facts';
import { UserConversion } from './user-conversion';

/** Decides who each analysed conversation is with: already linked, matched, new, or still anonymous. */
@Injectable()
export class IdentityResolver {
  constructor(
    private readonly outbox: Outbox, private readonly conversion: UserConversion,
  ) {}

  @OnEvent(ConversationAnalyzedEvent, { purpose: 'resolve-conversation', beforeBatch: lockClaimsOfBatch })
  async onConversationAnalyzed(event: ReceivedEvent<ConversationAnalyzed>, tx: EntityManager): Promise<void> {
    const analyzed = event.data;
    const claims = claimsOf(analyzed);
    await lockClaims(tx, analyzed.accountId, claims);
    const facts = await resolutionFacts(tx, analyzed.accountId, analyzed.conversationId, claims);
    const { settings } = facts;
    if (facts.linkedContactId) return this.summarise(tx, analyzed, claims, facts, settings.fillFields);

    const existing = facts.existing;
    const shared = ['firstName', 'lastName', 'email', 'phone'].some((f) => analyzed.fields[f as ContactField]);
    const decision = decideIdentity({
      claims, existing, policy: settings.matchingPolicy,
      capturable: shared && analyzed.capture.captureLeads && analyzed.visitorMessageCount > 0,
      contactsPerIdentifier: facts.contactsPerIdentifier,
      sharedIdentifierLimit: settings.sharedIdentifierLimit,
      externalUsersByContact: facts.externalUsersByContact,
    });
    if (decision.kind === 'anonymous') return;
    if (decision.kind === 'create') return this.create(tx, analyzed, claims, existing, decision.suggestions);

    const contact = await lockLiveContact(tx, decision.contactId);
    await this.fillBlanks(tx, contact, analyzed, settings.fillFields);
    const duplicate = contact.originalConversationId !== null && contact.originalConversationId !== analyzed.conversationId;
    const held = await attachIdentifiers(tx, contact, claims, existing, settings.fillFields, linkOf(analyzed, duplicate, new Date()));
    await recordResolutionSuggestions(tx, contact.id, analyzed.accountId, decision.suggestions, decision.matchedBy);
    await this.conversion.convertIfSignedIn(tx, contact, analyzed.channel, claims);
    const identifiers = await snapshotIdentifiers(tx, contact, analyzed, claims, held);
    await this.outbox.add(tx, ContactMatchedEvent, {
      ...this.conversationPart(analyzed), contactId: contact.id, contact: contactSnapshot(contact, identifiers),
      matchedBy: decision.matchedBy,
      evidence: decision.evidence.map(({ kind, value, verified }) => ({ kind, value, verified })),
      originalConversationId: contact.originalConversationId, duplicateConversation: duplicate,
      suggestedContactIds: decision.suggestions.map((s) => s.contactId), matchedAt: new Date().toISOString(),
    }, contact.id);
  }

  private async create(
    tx: EntityManager, analyzed: ConversationAnalyzed, claims: IdentityClaim[], existing: ExistingIdentifier[], suggestions: SuggestedDuplicate[],
  ): Promise<void> {
    const now = new Date();
    const contact = tx.create(Contact, {
      id: uuidv7(), accountId: analyzed.accountId, role: 'lead', originalConversationId: analyzed.conversationId,
      firstName: null, lastName: null, address: null, postalCode: null, fieldSources: {}, mergedIntoId: null,
      createdAt: now, updatedAt: now,
    });
    // What the AI captured, labelled as such, so a member's or the business's value later wins over it.
    applyFieldValues(contact, capturedValues(analyzed, PROFILE_FIELDS), 'ai');
    const held = await addIdentifiers(tx, contact, claims, existing,
      { creatingContact: true, recordingClaims: claims, linking: linkOf(analyzed, false, now) });
    await recordResolutionSuggestions(tx, contact.id, analyzed.accountId, suggestions, undefined);
    await this.conversion.convertIfSignedIn(tx, contact, analyzed.channel, claims);
    const identifiers = await snapshotIdentifiers(tx, contact, analyzed, claims, held);
    await this.outbox.add(tx, ContactCreatedEvent, {
      ...this.conversationPart(analyzed), origin: 'conversation', contactId: contact.id,
      contact: contactSnapshot(contact, identifiers), createdAt: now.toISOString(),
    }, contact.id);
  }

  /** A later idle cycle of a linked conversation: fill blanks on the fill list, keep the summary, tell automations. */
  private async summarise(
    tx: EntityManager, analyzed: ConversationAnalyzed, claims: IdentityClaim[], facts: ResolutionFacts, fillList: ContactField[],
  ): Promise<void> {
    const contact = await lockLiveContact(tx, facts.linkedContactId!);
    await this.fillBlanks(tx, contact, analyzed, fillList);
    const held = await attachIdentifiers(tx, contact, claims, facts.existing, fillList);
    const summaryId = uuidv7();
    await queryPrepared(tx, SAVE_SUMMARY, [summaryId, ...summaryValues(analyzed, contact.id, new Date())]);
    // A visitor who signed in since the last cycle (the widget now sends a verified external user id) converts.
    await this.conversion.convertIfSignedIn(tx, contact, analyzed.channel, claims);
    const identifiers = await snapshotIdentifiers(tx, contact, analyzed, claims, held);
    await this.outbox.add(tx, ContactSummaryCreatedEvent, {
      ...this.conversationPart(analyzed), contactId: contact.id, contact: contactSnapshot(contact, identifiers),
      cycle: analyzed.cycle, summaryId, createdAt: new Date().toISOString(),
    }, contact.id);
  }

  /** A match never overwrites: only blank fields the account allows are filled, as AI-captured values. */
  private async fillBlanks(tx: EntityManager, contact: Contact, analyzed: ConversationAnalyzed, fillList: ContactField[]): Promise<void> {
    const allowed = PROFILE_FIELDS.filter((field) => fillList.includes(field));
    const changed = applyFieldValues(contact, capturedValues(analyzed, allowed), 'ai');
    if (changed.length === 0) return;
    contact.updatedAt = new Date();
    await tx.save(Contact, contact);
  }

  private conversationPart(analyzed: ConversationAnalyzed) {
    return {
      accountId: analyzed.accountId, conversationId: analyzed.conversationId, channel: analyzed.channel,
      conversationUrl: analyzed.conversationUrl, summary: analyzed.summary, signals: analyzed.signals,
    };
  }
}

const SAVE_SUMMARY = summaryInsertSql({
  id: '$1', account: '$2', contact: '$3', conversation: '$4', cycle: '$5', summary: '$6', signals: '$7', at: '$8',
});

function summaryValues(analyzed: ConversationAnalyzed, contactId: string, at: Date): unknown[] {
  return [analyzed.accountId, contactId, analyzed.conversationId, analyzed.cycle, analyzed.summary, JSON.stringify(analyzed.signals), at];
}

/** The conversation's link to its contact and the cycle's summary: written with the contact's identifiers. */
function linkOf(analyzed: ConversationAnalyzed, duplicate: boolean, at: Date): LinkAndSummary {
  return {
    conversationId: analyzed.conversationId, duplicate, summaryId: uuidv7(), cycle: analyzed.cycle, summary: analyzed.summary,
    signals: analyzed.signals, at,
  };
}

function capturedValues(analyzed: ConversationAnalyzed, fields: readonly (typeof PROFILE_FIELDS)[number][]): ProfileValues {
  return Object.fromEntries(fields.map((field) => [field, analyzed.fields[field]?.value])) as ProfileValues;
}

/** The contacts a guard kept this conversation from, recorded for review with what pointed at them. */
async function recordResolutionSuggestions(
  tx: EntityManager, contactId: string, accountId: string, suggestions: SuggestedDuplicate[], linkedBy: string | undefined,
): Promise<void> {
  await recordSuggestions(tx, accountId, suggestions.map((suggestion) => ({
    contactId, otherContactId: suggestion.contactId, source: 'resolution', probability: null,
    reasons: suggestion.evidence.map((identifier) => ({
      field: identifier.kind,
      text: `same ${identifier.kind.replace('_', ' ')}: ${identifier.value}${whyNotLinked(suggestion, linkedBy)}`,
    })),
  })));
}

function whyNotLinked(suggestion: SuggestedDuplicate, linkedBy: string | undefined): string {
  if (suggestion.rejection === 'unverified') return ' (not verified: the strict policy links only verified identifiers)';
  if (linkedBy) return ` (the conversation linked to another contact by its ${linkedBy.replace('_', ' ')}: conflicting matches are never merged)`;
  return '';
}

/**
 * What a known contact takes from a conversation: its channel identity (device, the email sender; a signed-in
 * user id through UserConversion) always, as that is how the visitor is recognised next time; the email and phone the AI captured only
 * as fields of the fill list: when that field is on the account's list and the contact has none yet. Identifiers
 * another contact holds stay with it. All the conversation's claims are recorded (identifier_claims) either way.
 */
async function attachIdentifiers(
  tx: EntityManager, contact: Contact, claims: IdentityClaim[], seen: ExistingIdentifier[], fillList: ContactField[],
  linking?: LinkAndSummary,
): Promise<HeldIdentifier[] | undefined> {
  const fills = claims.filter((claim) => isCaptured(claim) && fillList.includes(claim.kind as ContactField));
  // Only when the fill list may take a captured email or phone (not by default) is it worth reading what it holds.
  const held = fills.length === 0 ? new Set<string>() : new Set((await identifiersOf(tx, contact.id)).map((i) => i.kind));
  // An external user id is given by the conversion alone, which never puts a second one on a contact.
  const channelIdentity = claims.filter((claim) => !isCaptured(claim) && claim.kind !== 'external_user');
  const attached = [...channelIdentity, ...fills.filter((claim) => !held.has(claim.kind))];
  return addIdentifiers(tx, contact, attached, seen, { recordingClaims: claims, ...(linking ? { linking } : {}) });
}

/**
 * The contact's identifiers for its snapshot: as the identifier write answered them, unless nothing was written or
 * the visitor signed in (the conversion may have given the contact its external user id since): then read.
 */
async function snapshotIdentifiers(
  tx: EntityManager, contact: Contact, analyzed: ConversationAnalyzed, claims: IdentityClaim[], held: HeldIdentifier[] | undefined,
): Promise<HeldIdentifier[]> {
  return held && !convertsToUser(analyzed.channel, claims) ? held : identifiersOf(tx, contact.id);
}

/** Every claim of the batch, locked in one sorted order before any of its conversations is resolved. */
function lockClaimsOfBatch(events: ReceivedEvent<ConversationAnalyzed>[], tx: EntityManager): BatchStatement | undefined {
  return claimLocks(tx, events.map((event) => ({ accountId: event.data.accountId, claims: claimsOf(event.data) })));
}
