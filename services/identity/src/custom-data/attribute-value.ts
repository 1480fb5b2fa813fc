import { isISO8601 } from 'class-validator';

/** The types a custom attribute may have; a key keeps the type it was first given in an account. */
export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export type AttributeValue = string | number | boolean;

export const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_STRING_ATTRIBUTE = 1000;

export type CheckedValue = { ok: true; value: AttributeValue } | { ok: false; reason: string };

/** The value in its stored form: a date becomes a full ISO 8601 UTC timestamp, so dates compare as text. */
export function checkAttributeValue(type: AttributeType, value: unknown): CheckedValue {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return { ok: false, reason: 'must be a string' };
      return value.length <= MAX_STRING_ATTRIBUTE ? { ok: true, value } : { ok: false, reason: `must be at most ${MAX_STRING_ATTRIBUTE} characters` };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'must be a finite number' };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, reason: 'must be true or false' };
    case 'date':
      if (typeof value !== 'string' || !isISO8601(value, { strict: true })) {
        return { ok: false, reason: 'must be an ISO 8601 date such as 2025-03-01 or 2025-03-01T10:00:00Z' };
      }
      return { ok: true, value: new Date(value).toISOString() };
  }
}
