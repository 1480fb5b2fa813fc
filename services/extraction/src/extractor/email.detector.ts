// E-mail addresses in free text. A permissive pattern finds candidates; email-addresses (an
// RFC 5322 parser) then accepts or rejects each one, and the domain must have a real TLD.
import { parseOneAddress, ParsedMailbox } from 'email-addresses';
import { Owner, whose } from './ownership';

export interface EmailMention {
  start: number;
  end: number;
  /** the address, lower-cased: mailbox providers treat addresses case-insensitively */
  address: string;
  owner: Owner;
}

const CANDIDATE = /[\p{L}\p{N}._%+'\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,24}/gu;

export function isEmailAddress(candidate: string): boolean {
  const parsed = parseOneAddress({ input: candidate, rfc6532: true, rejectTLD: true }) as ParsedMailbox | null;
  if (!parsed || parsed.address !== candidate) return false;
  const domain = parsed.domain;
  return !domain.split('.').some((label) => label === '' || label.startsWith('-') || label.endsWith('-'));
}

export function findEmails(text: string): EmailMention[] {
  const found: EmailMention[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    let raw = m[0];
    let start = m.index ?? 0;
    // Sentence punctuation and quotes hug addresses in chat ("it's 'a@b.com'." ).
    const lead = raw.match(/^[.'\-]+/)?.[0].length ?? 0;
    raw = raw.slice(lead).replace(/[.\-]+$/, '');
    start += lead;
    if (!isEmailAddress(raw)) continue;
    found.push({ start, end: start + raw.length, address: raw.toLowerCase(), owner: whose(text, start, start + raw.length) });
  }
  return found;
}
