import type { ConversationAnalyzed, IdentifierKind } from '@leadline/contracts';

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

/** The channel identity plus the email and phone the visitor shared, normalised and without repeats. */
export function claimsOf(analyzed: ConversationAnalyzed): IdentityClaim[] {
  const claims: IdentityClaim[] = analyzed.identifiers.map((identifier) => ({
    kind: identifier.kind, value: normalise(identifier.kind, identifier.value), verified: identifier.verified,
    source: analyzed.channel,
  }));
  const email = analyzed.fields.email?.value;
  if (email) claims.push({ kind: 'email', value: normalise('email', email), verified: false, source: 'extraction' });
  const phone = analyzed.fields.phone?.value;
  if (phone) claims.push({ kind: 'phone', value: normalise('phone', phone), verified: false, source: 'extraction' });
  const seen = new Map<string, IdentityClaim>();
  for (const claim of claims) {
    const key = `${claim.kind}:${claim.value}`;
    const before = seen.get(key);
    if (!before || (!before.verified && claim.verified)) seen.set(key, claim);
  }
  return [...seen.values()];
}

export function normalise(kind: IdentifierKind, value: string): string {
  if (kind === 'email') return value.trim().toLowerCase();
  if (kind === 'phone') return value.replace(/[^\d+]/g, '');
  return value.trim();
}
