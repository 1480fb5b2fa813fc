// Span detection over one piece of text, in Presidio's entity names. Unlike field extraction it
// keeps every mention (anyone's name, any number), because it answers "what PII is here?".
import { findAddresses } from './address.detector';
import { findLooseAddresses } from './address-block';
import { findEmails } from './email.detector';
import { findPersonNames } from './person-name.detector';
import { findPhones } from './phone.detector';
import { POSTAL_CUE } from './postal-code';
import { overlaps } from './text-window';

export type SpanType = 'PERSON' | 'EMAIL_ADDRESS' | 'PHONE_NUMBER' | 'STREET_ADDRESS' | 'ZIP_CODE';
export const SPAN_TYPES: readonly SpanType[] = ['PERSON', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'STREET_ADDRESS', 'ZIP_CODE'];
export interface DetectedSpan { type: SpanType; start: number; end: number; text: string }

// Any country's postal code after an explicit cue ("ZIP: 394 13", "my zip code is 75534-030").
const CUED_CODE = /(?<![\w\-])[A-Z0-9]{2,6}(?:[ \-][A-Z0-9]{2,4})?(?![\w\-])/g;

export function detectSpans(text: string, region = 'US'): DetectedSpan[] {
  const spans: DetectedSpan[] = [];
  const add = (type: SpanType, start: number, end: number) => {
    if (spans.some((s) => overlaps(s, { start, end }))) return;
    spans.push({ type, start, end, text: text.slice(start, end) });
  };
  for (const e of findEmails(text)) add('EMAIL_ADDRESS', e.start, e.end);
  // Strict (field) and loose (any country) addresses: of two overlapping, the longer one.
  const addresses = [...findAddresses(text, region), ...findLooseAddresses(text)].sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const a of addresses) add('STREET_ADDRESS', a.start, a.end);
  for (const m of text.matchAll(CUED_CODE)) {
    const start = m.index ?? 0;
    if (POSTAL_CUE.test(text.slice(Math.max(0, start - 30), start))) add('ZIP_CODE', start, start + m[0].length);
  }
  for (const p of findPhones(text, region)) add('PHONE_NUMBER', p.start, p.end);
  for (const n of findPersonNames(text)) add('PERSON', n.start, n.end);
  return spans.sort((a, b) => a.start - b.start);
}
