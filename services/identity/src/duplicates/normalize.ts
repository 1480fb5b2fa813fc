import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Lower-case, accents removed, punctuation to spaces, spaces collapsed: "  O'Neil-Smith " -> "o neil smith". */
export function normalizeText(value: string | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Text with every non-alphanumeric removed, so "pridham street" and "pridhamstreet" agree. */
export function compactText(value: string | undefined): string {
  return normalizeText(value).replace(/ /g, '');
}

/** An e-mail as stored: trimmed and lower-cased; "" when it has no "@". */
export function normalizeEmail(value: string): string {
  const email = value.trim().toLowerCase();
  return email.includes('@') ? email : '';
}

// Providers that treat these domains as one mailbox.
const DOMAIN_ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com' };

export interface MailboxParts {
  local: string;
  domain: string;
  /** The local part without dots and without a "+tag": the Gmail rule, applied to every domain. */
  canonicalLocal: string;
  hadDots: boolean;
  hadTag: boolean;
}

/**
 * Splits an e-mail into the parts the comparator needs. Gmail ignores dots and "+tags"; most large
 * providers honour "+tags"; for other domains a dotted variant is not provably the same mailbox,
 * but it is strong evidence of the same person, which is all a duplicate suggestion claims.
 */
export function mailboxParts(email: string): MailboxParts | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = email.slice(0, at);
  const rawDomain = email.slice(at + 1);
  const domain = DOMAIN_ALIASES[rawDomain] ?? rawDomain;
  const plus = local.indexOf('+');
  const untagged = plus >= 0 ? local.slice(0, plus) : local;
  return {
    local,
    domain,
    canonicalLocal: untagged.replace(/\./g, ''),
    hadDots: untagged.includes('.'),
    hadTag: plus >= 0,
  };
}

/** A phone in any common format to E.164 (libphonenumber-js), or undefined if it is not a number. */
export function normalizePhone(value: string, defaultRegion?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(value, defaultRegion);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** A date of birth as 8 digits YYYYMMDD ("1956-04-09" and "19560409" agree); "" when unusable. */
export function normalizeDateOfBirth(value: string | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\D/g, '');
  return digits.length === 8 ? digits : '';
}
