import type { ContactSnapshotDto } from '@leadline/contracts';

/** The text the list's free-text filter searches: name, emails and phones, lower-case. */
export function searchTextOf(contact: ContactSnapshotDto): string {
  const shown = contact.displayName.toLowerCase();
  // Names the display name already holds are not repeated: the text sits in an index, shorter is faster.
  const names = [contact.firstName, contact.lastName].filter((name): name is string => !!name && !shown.includes(name.toLowerCase()));
  return [contact.displayName, ...names, ...contact.emails, ...contact.phones]
    .filter((part) => part.length > 0)
    .join(' ')
    .toLowerCase();
}

/** Emails compare case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Phones compare by their digits with a leading "+": identity keeps E.164, callers may write "+1 (555) 010-0100".
 * Written by hand because the account's default region is not known here, so libphonenumber cannot do more.
 */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  return phone.trim().startsWith('+') ? `+${digits}` : digits;
}
