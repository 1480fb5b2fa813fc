import type { Channel, ConversationAnalyzed, IdentifierKind } from '@leadline/contracts';
import type { CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../duplicates/normalize';

export interface IdentityClaim {
  kind: IdentifierKind;
  value: string;
  verified: boolean;
  source: string;
}

export interface ExistingIdentifier {
  kind: IdentifierKind;
  value: string;
  verified: boolean;
  contactId: string;
}

/** Strongest first: the identifier that decides which contact a conversation links to. */
const STRENGTH: Record<string, number> = {
  external_user: 5, device: 4, 'email:verified': 3, email: 2, 'phone:verified': 1.5, phone: 1,
};

export function claimStrength(claim: { kind: IdentifierKind; verified: boolean }): number {
  return STRENGTH[claim.verified ? `${claim.kind}:verified` : claim.kind] ?? STRENGTH[claim.kind] ?? 0;
}

export const identifierKey = (identifier: { kind: IdentifierKind; value: string }): string => `${identifier.kind}:${identifier.value}`;

/** Where an email or phone the AI captured from the visitor's messages comes from (not the channel's identity). */
export const CAPTURED = 'extraction';

/** An email or phone the visitor wrote, as opposed to the channel's identity of the visitor. */
export const isCaptured = (claim: Pick<IdentityClaim, 'source'>): boolean => claim.source === CAPTURED;

/** The channel identity plus the email and phone the visitor shared, normalised and without repeats. */
export function claimsOf(analyzed: ConversationAnalyzed): IdentityClaim[] {
  const region = analyzed.defaultRegion as CountryCode;
  const claims: IdentityClaim[] = analyzed.identifiers.map((identifier) => ({
    kind: identifier.kind, value: normalise(identifier.kind, identifier.value, region), verified: identifier.verified,
    source: analyzed.channel,
  }));
  const email = analyzed.fields.email?.value;
  if (email) claims.push({ kind: 'email', value: normalise('email', email, region), verified: false, source: CAPTURED });
  const phone = analyzed.fields.phone?.value;
  if (phone) claims.push({ kind: 'phone', value: normalise('phone', phone, region), verified: false, source: CAPTURED });
  const seen = new Map<string, IdentityClaim>();
  for (const claim of claims.filter((c) => c.value !== '')) {
    const before = seen.get(identifierKey(claim));
    if (!before || (!before.verified && claim.verified)) seen.set(identifierKey(claim), claim);
  }
  return [...seen.values()];
}

/**
 * The stored form of an identifier: e-mail trimmed and lower-cased, phone in E.164 (a national number takes the
 * account's default region, so "(555) 123-4567" and "+1 555 123 4567" are one phone); a phone that is not a
 * possible number keeps its digits, so it still only ever matches itself.
 */
export function normalise(kind: IdentifierKind, value: string, region?: CountryCode): string {
  if (kind === 'email') return value.trim().toLowerCase();
  if (kind === 'phone') return normalizePhone(value, region) ?? value.replace(/[^\d+]/g, '');
  return value.trim();
}

/**
 * A contact becomes a user only through a verified external user id, and never because of a phone call: a
 * caller id is easily spoofed, so a voice conversation converts nobody whatever it carries.
 */
export function convertsToUser(channel: Channel, claims: readonly IdentityClaim[]): IdentityClaim | undefined {
  if (channel === 'voice') return undefined;
  return claims.find((claim) => claim.kind === 'external_user' && claim.verified);
}
