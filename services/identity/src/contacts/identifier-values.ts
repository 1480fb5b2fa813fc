import type { IdentifierKind } from '@leadline/contracts';
import { isEmail, isUUID } from 'class-validator';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * One normal form per identifier, so a person matches whatever format they wrote it in: e-mail trimmed and
 * lower-cased, phone in E.164 (a number without a country code belongs to the account's default region),
 * device ids and external user ids trimmed (as the resolver stores them, see resolution/identity-claims.ts).
 */
export type NormalisedValue = { ok: true; value: string } | { ok: false; reason: string };

export const MAX_IDENTIFIER_LENGTH = 320;

export function normaliseIdentifier(kind: IdentifierKind, raw: string, defaultRegion: string): NormalisedValue {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: `${kind} is empty` };
  if (value.length > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: `${kind} is longer than ${MAX_IDENTIFIER_LENGTH} characters` };
  switch (kind) {
    case 'email':
      return isEmail(value) ? { ok: true, value: value.toLowerCase() } : { ok: false, reason: `"${value}" is not an e-mail address` };
    case 'phone':
      return normalisePhone(value, defaultRegion);
    case 'device':
      return isUUID(value) ? { ok: true, value } : { ok: false, reason: 'a device id is the widget\'s UUID' };
    case 'external_user':
      return { ok: true, value };
  }
}

/**
 * E.164 through libphonenumber-js. "Possible" (a plausible length for the country) rather than "valid" is
 * required: validity also checks number ranges, which reject fictional and newly assigned numbers a business
 * still wants to keep (e.g. US 555 numbers).
 */
export function normalisePhone(raw: string, defaultRegion: string): NormalisedValue {
  const phone = parsePhoneNumberFromString(raw, defaultRegion as CountryCode);
  if (!phone || !phone.isPossible()) {
    return { ok: false, reason: `"${raw}" is not a phone number (add the country code if it is not in ${defaultRegion})` };
  }
  return { ok: true, value: phone.number };
}
