import { FIELD_INDEX, FIELD_LEVELS, FIELD_NAMES, MISSING, type FieldName } from './comparison-fields';
import type { DuplicateCandidate } from './duplicate-candidate';
import type { MailboxParts } from './normalize';
import type { PreparedCandidate } from './prepared-candidate';

/** One piece of evidence for or against a suggestion, as shown to the member reviewing it. */
export interface DuplicateReason {
  field: FieldName;
  level: string;
  /** e.g. "first name nickname: bob ~ robert", "same email ignoring dots: ...". */
  text: string;
  /** Match weight in bits (log2 m/u): positive supports "same person", negative opposes it. */
  weight: number;
}

const show = (value: string | undefined): string => (value ?? '').trim();

/** True when b is a with exactly one pair of neighbouring characters exchanged. */
export function isAdjacentTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function describeDigits(what: string, a: string, b: string, level: number): string {
  if (level === 0) return `same ${what}: ${a}`;
  if (level === 1) {
    if (isAdjacentTransposition(a, b)) return `${what} digits transposed: ${a} ~ ${b}`;
    if (a.length === 8 && a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) {
      return `${what} day and month swapped: ${a} ~ ${b}`;
    }
    return `${what} differs by one character: ${a} ~ ${b}`;
  }
  if (level === 2 && what !== 'postal code') return `${what} differs by two characters: ${a} ~ ${b}`;
  return `different ${what}: ${a} / ${b}`;
}

function describeText(what: string, a: string, b: string, level: number): string {
  if (level === 0) return `same ${what}: ${a}`;
  if (level === 1) return `${what} typo: ${a} ~ ${b}`;
  return `different ${what}: ${a} / ${b}`;
}

function describeName(what: string, a: string, b: string, levelName: string): string {
  switch (levelName) {
    case 'exact':
      return `same ${what}: ${a}`;
    case 'nickname':
      return `${what} nickname: ${a} ~ ${b}`;
    case 'typo':
      return `${what} typo: ${a} ~ ${b}`;
    case 'similar':
      return `similar ${what}: ${a} ~ ${b}`;
    default:
      return `different ${what}: ${a} / ${b}`;
  }
}

function describeEmail(a: readonly MailboxParts[], b: readonly MailboxParts[], level: number): string {
  for (const x of a) {
    for (const y of b) {
      const ex = `${x.local}@${x.domain}`;
      const ey = `${y.local}@${y.domain}`;
      if (level === 0 && ex === ey) return `same email: ${ex}`;
      if (level === 1 && x.canonicalLocal === y.canonicalLocal && x.domain === y.domain) {
        const ignoring = [x.hadDots || y.hadDots ? 'dots' : '', x.hadTag || y.hadTag ? '+tag' : ''].filter(Boolean).join(' and ');
        return `same email ignoring ${ignoring || 'provider alias'}: ${x.local}@${x.domain} ~ ${y.local}@${y.domain}`;
      }
      if (level === 2 && x.canonicalLocal === y.canonicalLocal) return `same email name at another domain: ${ex} ~ ${ey}`;
    }
  }
  return 'different emails';
}

function describePhone(a: readonly string[], b: readonly string[], level: number): string {
  if (level === 0) return `same phone: +${a.find((p) => b.includes(p))}`;
  if (level === 1) {
    for (const x of a) for (const y of b) if (x.slice(-8) === y.slice(-8)) return `same phone number under another country code: +${x} ~ +${y}`;
  }
  return 'different phones';
}

function describePlace(a: DuplicateCandidate, b: DuplicateCandidate, levelName: string): string {
  const where = (c: DuplicateCandidate): string => [c.postalCode, c.locality, c.state].map(show).filter(Boolean).join(' ');
  switch (levelName) {
    case 'same postal code and locality':
      return `same postal code and locality: ${show(a.postalCode)} ${show(a.locality)}`;
    case 'same postal code':
      return `same postal code: ${show(a.postalCode)} (${show(a.locality) || '?'} / ${show(b.locality) || '?'})`;
    case 'same locality':
      return `same locality: ${show(a.locality)} (${show(a.postalCode) || '?'} / ${show(b.postalCode) || '?'})`;
    case 'near':
      return `postal code or locality typo: ${where(a)} ~ ${where(b)}`;
    case 'same state only':
      return `same state only: ${where(a)} / ${where(b)}`;
    default:
      return `different place: ${where(a)} / ${where(b)}`;
  }
}

/**
 * Human-readable reasons for a scored pair, strongest evidence first. `levels` are the pair's
 * comparison levels (see comparePair) and `weights[field][level]` the model's match weights.
 */
export function explainPair(
  a: PreparedCandidate,
  b: PreparedCandidate,
  levels: ArrayLike<number>,
  swapped: boolean,
  weights: readonly (readonly number[])[],
): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  const sa = a.source;
  const sb = b.source;
  for (const field of FIELD_NAMES) {
    const index = FIELD_INDEX[field];
    const level = levels[index];
    if (level === MISSING) continue;
    const levelName = FIELD_LEVELS[field][level].level;
    let text: string;
    switch (field) {
      case 'firstName':
        text = swapped
          ? `first and last names swapped: ${show(sa.firstName)} ${show(sa.lastName)} ~ ${show(sb.firstName)} ${show(sb.lastName)}`
          : describeName('first name', show(sa.firstName), show(sb.firstName), levelName);
        break;
      case 'lastName':
        text = swapped
          ? describeName('swapped last name', show(sa.lastName), show(sb.firstName), levelName)
          : describeName('last name', show(sa.lastName), show(sb.lastName), levelName);
        break;
      case 'dateOfBirth':
        text = describeDigits('date of birth', a.dateOfBirth, b.dateOfBirth, level);
        break;
      case 'nationalId':
        text = describeDigits('national id', a.nationalId, b.nationalId, level);
        break;
      case 'email':
        text = describeEmail(a.mailboxes, b.mailboxes, level);
        break;
      case 'phone':
        text = describePhone(a.phones, b.phones, level);
        break;
      case 'streetNumber':
        text = describeText('street number', show(sa.streetNumber), show(sb.streetNumber), level === 0 ? 0 : 2);
        break;
      case 'street':
        text = describeText('street', show(sa.street), show(sb.street), level);
        break;
      case 'place':
        text = describePlace(sa, sb, levelName);
        break;
    }
    reasons.push({ field, level: levelName, text, weight: weights[index][level] });
  }
  return reasons.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight));
}
