import type { DuplicateCandidate } from './duplicate-candidate';
import { compactText, mailboxParts, normalizeDateOfBirth, normalizeEmail, type MailboxParts } from './normalize';
import { soundex } from './string-similarity';

/**
 * A candidate normalised once, so that comparing it with many others (blocking puts a record in
 * several blocks) does not normalise the same strings again and again. "" means missing.
 */
export interface PreparedCandidate {
  id: string;
  /** The contact as given, for human-readable reasons. */
  source: DuplicateCandidate;
  firstName: string;
  lastName: string;
  firstNameSound: string;
  lastNameSound: string;
  emails: string[];
  mailboxes: MailboxParts[];
  /** Digits only, E.164 without the "+". */
  phones: string[];
  street: string;
  streetSound: string;
  streetNumber: string;
  locality: string;
  postalCode: string;
  state: string;
  /** YYYYMMDD */
  dateOfBirth: string;
  nationalId: string;
}

export function prepareCandidate(candidate: DuplicateCandidate): PreparedCandidate {
  // Names are compared without spaces or punctuation: "elk i" / "elki", "o'neil" / "oneil".
  const firstName = compactText(candidate.firstName);
  const lastName = compactText(candidate.lastName);
  const emails = [...new Set(candidate.emails.map(normalizeEmail).filter((e) => e !== ''))];
  return {
    id: candidate.id,
    source: candidate,
    firstName,
    lastName,
    firstNameSound: soundex(firstName),
    lastNameSound: soundex(lastName),
    emails,
    mailboxes: emails.map(mailboxParts).filter((m): m is MailboxParts => m !== undefined),
    phones: [...new Set(candidate.phones.map((p) => p.replace(/\D/g, '')).filter((p) => p.length >= 6))],
    street: compactText(candidate.street),
    streetSound: soundex(compactText(candidate.street)),
    streetNumber: compactText(candidate.streetNumber),
    locality: compactText(candidate.locality),
    postalCode: compactText(candidate.postalCode),
    state: compactText(candidate.state),
    dateOfBirth: normalizeDateOfBirth(candidate.dateOfBirth),
    nationalId: compactText(candidate.nationalId),
  };
}
