import { ContactCreatedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { Contact } from '../contacts/contact.entity';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { ConversationLink } from '../contacts/conversation-link.entity';
import { Identifier } from '../contacts/identifier.entity';
import { externalUsersOf } from '../resolution/identifier-claims-store';
import { normalise, type IdentityClaim } from '../resolution/identity-claims';
import { addIdentifiers, lockClaims, lockLiveContact } from '../resolution/identifier-writes';
import { UserConversion, type ConversionOutcome } from '../resolution/user-conversion';
import { recordSuggestions } from '../suggestions/suggestion-store';
import type { IdentifyDto } from './identify.dto';
import { signatureIsValid } from './identity-signature';

export interface IdentifyResult {
  contactId: string;
  role: 'lead' | 'user';
  /** True when this call made the contact a user. */
  converted: boolean;
  /** True when no contact was known for this user, device or email, so one was created. */
  created: boolean;
  /** Other contacts that are probably this user too, recorded as duplicate suggestions (never merged here). */
  suggestedContactIds: string[];
}

interface Candidate {
  contactId: string;
  via: 'external_user' | 'conversation' | 'device' | 'email';
}

/** Lead to user: a signed call from the business makes the visitor's contact a user, keeping every conversation. */
@Injectable()
export class IdentifyService {
  constructor(
    private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox,
    private readonly settings: AccountSettingsService, private readonly conversion: UserConversion,
  ) {}

  async identify(dto: IdentifyDto): Promise<IdentifyResult> {
    await this.authenticate(dto);
    return this.unitOfWork.run(async (tx) => {
      const claims = claimsOf(dto);
      await lockClaims(tx, dto.accountId, claims);
      const candidates = await this.candidates(tx, dto, claims);
      const target = candidates[0];
      const contact = target ? await lockLiveContact(tx, target.contactId) : await this.createContact(tx, dto.accountId);
      await addIdentifiers(tx, contact, claims.filter((claim) => claim.kind !== 'external_user'), undefined, { recordingClaims: claims });
      const outcome = await this.conversion.convert(tx, contact, dto.userId, 'identify');
      if (outcome === 'other_external_user' || outcome === 'held_by_another') throw conflictOf(outcome);
      const others = [...new Set(candidates.slice(1).map((c) => c.contactId))].filter((id) => id !== contact.id);
      await recordSuggestions(tx, dto.accountId, others.map((otherContactId) => ({
        contactId: contact.id, otherContactId, source: 'identify', probability: null,
        reasons: candidates.filter((c) => c.contactId === otherContactId)
          .map((c) => ({ field: c.via, text: `identified as user ${dto.userId} by the same ${c.via.replace('_', ' ')}; not merged automatically` })),
      })));
      if (!target) await this.announceCreated(tx, contact);
      return { contactId: contact.id, role: contact.role, converted: outcome === 'converted', created: !target, suggestedContactIds: others };
    });
  }

  /** 401 for a missing or wrong signature, and for an account whose secret identity does not know (yet). */
  private async authenticate(dto: IdentifyDto): Promise<void> {
    if (!dto.signature) throw unauthorized('unsigned: send signature, the hex HMAC-SHA256 of userId + "\\n" + email by the account\'s identity secret');
    const secret = await this.settings.identitySecretOf(this.dataSource.manager, dto.accountId);
    if (!secret || !signatureIsValid(secret, dto.userId, dto.email, dto.signature)) {
      throw unauthorized('bad signature: sign userId + "\\n" + email (or userId alone without an email) with HMAC-SHA256 and the account\'s identity secret');
    }
  }

  /**
   * The contacts this user may be, strongest first: the one already holding the user id, then the visitor's
   * (conversation, device), then the email's. A contact that is another external user is never one of them.
   */
  private async candidates(tx: EntityManager, dto: IdentifyDto, claims: IdentityClaim[]): Promise<Candidate[]> {
    const found: Candidate[] = [];
    const holderOf = async (kind: IdentityClaim['kind']) => {
      const claim = claims.find((c) => c.kind === kind);
      return claim && (await tx.findOneBy(Identifier, { accountId: dto.accountId, kind, value: claim.value }))?.contactId;
    };
    const user = await holderOf('external_user');
    if (user) found.push({ contactId: user, via: 'external_user' });
    if (dto.conversationId) {
      const link = await tx.findOneBy(ConversationLink, { accountId: dto.accountId, conversationId: dto.conversationId });
      if (link) found.push({ contactId: link.contactId, via: 'conversation' });
    }
    const device = await holderOf('device');
    if (device) found.push({ contactId: device, via: 'device' });
    const email = await holderOf('email');
    if (email) found.push({ contactId: email, via: 'email' });
    const externalUsers = await externalUsersOf(tx, found.map((c) => c.contactId));
    return found.filter((c) => (externalUsers.get(c.contactId) ?? []).every((id) => id === dto.userId));
  }

  private async createContact(tx: EntityManager, accountId: string): Promise<Contact> {
    const now = new Date();
    const contact = tx.create(Contact, {
      id: uuidv7(), accountId, role: 'lead', firstName: null, lastName: null, address: null, postalCode: null,
      fieldSources: {}, originalConversationId: null, mergedIntoId: null, createdAt: now, updatedAt: now,
    });
    await tx.insert(Contact, contact);
    return contact;
  }

  private async announceCreated(tx: EntityManager, contact: Contact): Promise<void> {
    const identifiers = await tx.findBy(Identifier, { contactId: contact.id });
    await this.outbox.add(tx, ContactCreatedEvent, {
      accountId: contact.accountId, contactId: contact.id, origin: 'api', contact: contactSnapshot(contact, identifiers),
      createdAt: contact.createdAt.toISOString(),
    }, contact.id);
  }
}

function claimsOf(dto: IdentifyDto): IdentityClaim[] {
  return [
    { kind: 'external_user', value: dto.userId, verified: true, source: 'identify' },
    ...(dto.email ? [{ kind: 'email' as const, value: normalise('email', dto.email), verified: true, source: 'identify' }] : []),
    // The device id is not covered by the signature: it finds the visitor but is not verified by this call.
    ...(dto.deviceId ? [{ kind: 'device' as const, value: normalise('device', dto.deviceId), verified: false, source: 'identify' }] : []),
  ];
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}

function conflictOf(outcome: ConversionOutcome): Error {
  // Unreachable through candidates(): kept so a future change cannot silently put two users on one contact.
  return new Error(`identify refused to convert: ${outcome}`);
}
