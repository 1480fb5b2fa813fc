// The default extractor: no network, no model. Each detector reads the visitor's messages
// only; corrections and ownership decide which of several values the visitor stands by.
import { findAddresses, findCuedPostalCodes } from './address.detector';
import { Candidate, correctsEarlier, finalCandidate } from './corrections';
import { findEmails } from './email.detector';
import {
  CONTACT_FIELDS, ContactField, ConversationExtractor, ExtractedFields, ExtractedValue, ExtractionInput, ExtractionResult, TranscriptMessage,
} from './extraction.types';
import { whosePlace } from './ownership';
import { findPhones } from './phone.detector';
import { signalsOf } from './signals';
import { summarise } from './summary';
import { visitorName } from './visitor-name';

interface Found extends Candidate { value: string; end: number; confidence: number }

const ASKS_POSTAL = /\b(?:zip|postal|post ?code|plz)\b/i;
// An address the visitor asks about ("is your shop at 12 Main St?") is not theirs.
// Nor is a place they ask about: "the listing at 45 Lakeshore Rd", "the house on Elm St".
const NOT_THEIR_ADDRESS = /\b(?:your|you guys|you're|you are|the (?:shop|store|office|clinic)|is it at|are you)\b|\bthe (?:listing|property|house|home|unit|apartment|flat|condo|lot|building|one)\s+(?:at|on)\s*$/i;

function value(messages: readonly TranscriptMessage[], f: Found | undefined): ExtractedValue | undefined {
  if (!f) return undefined;
  return { value: f.value, confidence: f.confidence, evidence: { messageId: messages[f.messageIndex].id, start: f.start, end: f.end } };
}

/**
 * Phones and e-mails the business gave before the visitor wrote them ("Our number is 888-555-0123"
 * ... "ok I'll call 888-555-0123"): the visitor repeating them does not make them theirs.
 */
function businessDetailsBefore(messages: readonly TranscriptMessage[], region: string): (messageIndex: number, value: string) => boolean {
  const firstSaid = new Map<string, number>();
  messages.forEach((m, i) => {
    if (m.author === 'visitor') return;
    for (const p of findPhones(m.text, region)) if (p.e164 && !firstSaid.has(p.e164)) firstSaid.set(p.e164, i);
    for (const e of findEmails(m.text)) if (!firstSaid.has(e.address)) firstSaid.set(e.address, i);
  });
  return (messageIndex, value) => (firstSaid.get(value) ?? Infinity) < messageIndex;
}

export function extractFields(messages: readonly TranscriptMessage[], region: string): ExtractedFields {
  const phones: Found[] = [];
  const emails: Found[] = [];
  const addresses: (Found & { postal?: Found })[] = [];
  const postals: Found[] = [];
  const business = businessDetailsBefore(messages, region);
  // Found once per message: the name detector needs them too (words inside an address are no name).
  const emailsByMessage = messages.map((m) => (m.author === 'visitor' ? findEmails(m.text) : []));
  messages.forEach((m, messageIndex) => {
    if (m.author !== 'visitor') return;
    const text = m.text;
    const emailSpans = emailsByMessage[messageIndex];
    for (const e of emailSpans) {
      if (e.owner === 'someone-else' || business(messageIndex, e.address)) continue;
      emails.push({ messageIndex, start: e.start, end: e.end, value: e.address, confidence: e.owner === 'visitor' ? 0.95 : 0.85, correction: correctsEarlier(text, e.start), preferred: e.owner === 'visitor' });
    }
    for (const p of findPhones(text, region)) {
      if (!p.e164 || p.owner === 'someone-else' || business(messageIndex, p.e164)) continue;
      if (emailSpans.some((e) => p.start < e.end && e.start < p.end)) continue;
      phones.push({ messageIndex, start: p.start, end: p.end, value: p.e164, confidence: p.owner === 'visitor' ? 0.95 : 0.8, correction: correctsEarlier(text, p.start), preferred: p.owner === 'visitor' });
    }
    for (const a of findAddresses(text, region)) {
      const before = text.slice(Math.max(0, a.start - 40), a.start);
      if (NOT_THEIR_ADDRESS.test(before) || whosePlace(text, a.start, a.end) === 'someone-else') continue;
      const found: Found & { postal?: Found } = { messageIndex, start: a.start, end: a.end, value: a.text, confidence: 0.85, correction: correctsEarlier(text, a.start), preferred: true };
      if (a.postalCode) found.postal = { ...found, start: a.postalCode.start, end: a.postalCode.end, value: a.postalCode.value, confidence: 0.9 };
      addresses.push(found);
    }
    const prev = messages[messageIndex - 1];
    const askedPostal = !!prev && prev.author !== 'visitor' && ASKS_POSTAL.test(prev.text);
    for (const c of findCuedPostalCodes(text, region)) {
      if (!c.cued && !askedPostal) continue;
      if (addresses.some((a) => a.messageIndex === messageIndex && a.start <= c.start && c.end <= a.end)) continue;
      postals.push({ messageIndex, start: c.start, end: c.end, value: c.value, confidence: 0.9, correction: correctsEarlier(text, c.start), preferred: true });
    }
  });
  const fields: ExtractedFields = {};
  const name = visitorName(messages, (i) => emailsByMessage[i]);
  if (name) {
    const ev = (s: { start: number; end: number }) => ({ messageId: messages[name.messageIndex].id, start: s.start, end: s.end });
    fields.firstName = { value: name.firstName.text, confidence: name.confidence, evidence: ev(name.firstName) };
    if (name.lastName) fields.lastName = { value: name.lastName.text, confidence: name.confidence, evidence: ev(name.lastName) };
  }
  const set = (field: ContactField, v: ExtractedValue | undefined) => {
    if (v) fields[field] = v;
  };
  set('email', value(messages, finalCandidate(emails)));
  set('phone', value(messages, finalCandidate(phones)));
  const address = finalCandidate(addresses);
  set('address', value(messages, address));
  // A postal code said on its own later replaces the one inside an earlier address.
  const postal = finalCandidate([...(address?.postal ? [address.postal] : []), ...postals]);
  set('postalCode', value(messages, postal));
  return fields;
}

export class RulesExtractor implements ConversationExtractor {
  extractSync(input: ExtractionInput): ExtractionResult {
    const region = (input.defaultRegion ?? 'US').toUpperCase();
    const capture = input.captureFields ?? CONTACT_FIELDS;
    const all = extractFields(input.messages, region);
    const fields: ExtractedFields = {};
    for (const f of capture) if (all[f]) fields[f] = all[f];
    const visitor = input.messages.filter((m) => m.author === 'visitor');
    const signals = signalsOf(visitor.map((m) => m.text), fields, capture);
    return { fields, summary: summarise(visitor, all, signals), signals, extractor: 'rules' };
  }

  async extract(input: ExtractionInput): Promise<ExtractionResult> {
    return this.extractSync(input);
  }
}
