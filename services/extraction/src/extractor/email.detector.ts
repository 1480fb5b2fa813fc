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

// Spelled-out addresses people type to dodge spam filters: "jthompson at gmail dot com",
// "ana[at]web[dot]de". The dot must be spelled out (or the "at" bracketed), so "look at google.com"
// is not read as an address; what is rebuilt still has to pass the RFC parser below.
const AT = String.raw`(?:\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)`;
const DOT = String.raw`(?:\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+)`;
const SPELLED = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+\-])([\p{L}\p{N}._%+\-]+)${AT}((?:[\p{L}\p{N}\-]+(?:${DOT}|\.))+)(com|net|org|edu|gov|io|co|uk|de|ca|au|us|info|biz|me|nz|ie|fr|es|it|nl|at|ch)(?![\p{L}\p{N}])`,
  'giu',
);

function findSpelledEmails(text: string, taken: readonly EmailMention[]): EmailMention[] {
  const out: EmailMention[] = [];
  for (const m of text.matchAll(SPELLED)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (!/\bdot\b|[\[({]\s*at\s*[\])}]/i.test(m[0]) || taken.some((e) => start < e.end && e.start < end)) continue;
    const domain = m[2].replace(new RegExp(DOT, 'giu'), '.');
    const address = `${m[1]}@${domain}${m[3]}`.toLowerCase();
    if (isEmailAddress(address)) out.push({ start, end, address, owner: whose(text, start, end) });
  }
  return out;
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
  if (/\bdot\b|[\[({]\s*at\s*[\])}]/i.test(text)) found.push(...findSpelledEmails(text, found));
  return found.sort((a, b) => a.start - b.start);
}
