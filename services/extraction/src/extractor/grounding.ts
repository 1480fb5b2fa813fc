// Grounding: a value an LLM proposes is kept only where the visitor literally wrote it, and its
// evidence is where they wrote it. This is what stops a model inventing a contact detail.
import { findEmails } from './email.detector';
import { ContactField, FieldEvidence, TranscriptMessage } from './extraction.types';
import { normalisePostalCode } from './postal-code';
import { findPhones, toE164 } from './phone.detector';

export interface Grounded { value: string; evidence: FieldEvidence }

const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message with its e-mail addresses blanked out (same length, so offsets stay true): "John" must be
 * found where the visitor wrote their name, not inside "john@email.com".
 */
function withoutEmails(text: string): string {
  let masked = text.normalize('NFKC');
  for (const email of findEmails(masked)) masked = masked.slice(0, email.start) + ' '.repeat(email.end - email.start) + masked.slice(email.end);
  return masked;
}

/** Finds `value` as whole words in a visitor message, spaces and case aside, outside e-mail addresses. */
function literal(visitor: readonly TranscriptMessage[], value: string): FieldEvidence | null {
  const words = squash(value).split(' ').filter(Boolean).map(escape);
  if (!words.length) return null;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s,]+')}(?![\\p{L}\\p{N}])`, 'iu');
  for (const m of [...visitor].reverse()) {
    const hit = withoutEmails(m.text).match(re);
    if (hit) return { messageId: m.id, start: hit.index ?? 0, end: (hit.index ?? 0) + hit[0].length };
  }
  return null;
}

export function ground(field: ContactField, proposed: string, visitor: readonly TranscriptMessage[], region: string): Grounded | null {
  const value = proposed.trim();
  if (!value) return null;
  if (field === 'email') {
    const want = value.toLowerCase();
    for (const m of [...visitor].reverse()) {
      const e = findEmails(m.text).find((x) => x.address === want);
      if (e) return { value: e.address, evidence: { messageId: m.id, start: e.start, end: e.end } };
    }
    return null;
  }
  if (field === 'phone') {
    const want = toE164(value, region);
    if (!want) return null;
    for (const m of [...visitor].reverse()) {
      const p = findPhones(m.text, region).find((x) => x.e164 === want);
      if (p) return { value: want, evidence: { messageId: m.id, start: p.start, end: p.end } };
    }
    return null;
  }
  const evidence = literal(visitor, value);
  if (!evidence) return null;
  const written = visitor.find((m) => m.id === evidence.messageId)?.text.slice(evidence.start, evidence.end) ?? value;
  return { value: field === 'postalCode' ? normalisePostalCode(written) : written, evidence };
}
