// Qualification signals for the lead score, read from the visitor's own words only.
import { ContactField, ExtractedFields, IntentLevel, QualificationSignals } from './extraction.types';

const BUYING =
  /\b(?:quote|estimate|book|booking|schedule|appointment|buy|purchase|order|hire|sign me up|sign up|consultation|site visit|come in|come out|pricing|price|prices|how much|cost|rates?|availability|available|openings?|install|reserve|reservation|angebot|termin|beratung|kaufen)\b/i;
const ASKING = /\b(?:i'?d like|i would like|i want|we want|i need|we need|looking for|interested in|please|can (?:i|you|we)|could (?:i|you|we)|would you|do you|send me|get me)\b/i;
const CURIOUS = /\?|\b(?:do you|can you|are you|what|when|how|which|where)\b/i;
const URGENT_HIGH = /\b(?:asap|a\.s\.a\.p|urgent(?:ly)?|emergency|right away|immediately|today|tonight|right now|as soon as possible|leaking|flooding|flooded|no heat|burst|sofort|dringend)\b/i;
const URGENT_LOW = /\b(?:this week|tomorrow|soon|next week|this weekend|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|within (?:a|the next|\d+) (?:days?|weeks?)|this month|before (?:the )?(?:weekend|holidays?))\b/i;
const BUDGET = /(?:[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|dollars|usd|eur|euros?|pounds|gbp|aud|cad)\b|\bbudget\b|\bspend\b|\bafford\b)/i;
const SIZE =
  /\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundred)\s*(?:-\s*)?(?:sq\.?\s*(?:ft|feet|m)|square\s+(?:feet|foot|meters?|metres?|yards?)|sqft|m2|m²|acres?|hectares?|rooms?|bedrooms?|bathrooms?|baths?|floors?|stor(?:e)?ys?|units?|boxes|pieces|items|people|guests|employees|staff|windows|doors|trees|cars?|vehicles?|pages|feet|ft|meters|metres|yards|gallons|litres|liters|tons?|pallets?|seats|users|licen[cs]es|locations|sites)\b/i;
const BY_PHONE = /\b(?:call me|phone me|give me a (?:call|ring)|ring me|call back|by phone|over the phone|phone call|please call|have someone call|reach me (?:by|on) (?:phone|my cell)|rufen sie mich)\b/i;
const BY_SMS = /\b(?:text me|txt me|by text|via text|sms|whatsapp|message me|text is best|texting)\b/i;
const BY_EMAIL = /\b(?:e-?mail me|by e-?mail|via e-?mail|email is best|send (?:it|them|me)[^.?!]{0,30}e-?mail|best email|prefer e-?mail)\b/i;

export function preferredContact(visitorTexts: readonly string[]): QualificationSignals['preferredContact'] {
  let found: QualificationSignals['preferredContact'] = null;
  for (const t of visitorTexts) {
    // The last preference stated wins; within a message, SMS beats "call" in "call or text me".
    if (BY_SMS.test(t)) found = 'sms';
    else if (BY_EMAIL.test(t)) found = 'email';
    else if (BY_PHONE.test(t)) found = 'phone';
  }
  return found;
}

export function intentOf(visitorText: string, sharedContact: boolean): IntentLevel {
  const buying = BUYING.test(visitorText);
  const asking = ASKING.test(visitorText);
  if (buying && (asking || sharedContact)) return 'high';
  if (buying || (asking && sharedContact)) return 'medium';
  if (asking || CURIOUS.test(visitorText)) return 'low';
  return 'none';
}

export function signalsOf(
  visitorTexts: readonly string[],
  fields: ExtractedFields,
  captureFields: readonly ContactField[],
): QualificationSignals {
  const all = visitorTexts.join('\n');
  const captured = captureFields.filter((f) => fields[f]).length;
  const sharedContact = !!(fields.email || fields.phone);
  return {
    intent: intentOf(all, sharedContact),
    urgency: URGENT_HIGH.test(all) ? 'high' : URGENT_LOW.test(all) ? 'low' : 'none',
    budgetMentioned: BUDGET.test(all),
    sizeMentioned: SIZE.test(all),
    preferredContact: preferredContact(visitorTexts),
    // Share of the fields the account asked for (all six by default) that were captured.
    contactCompleteness: captureFields.length ? Math.round((captured / captureFields.length) * 100) / 100 : 0,
  };
}
