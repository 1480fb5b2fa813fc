// Qualification signals for the lead score, read from the visitor's own words only.
import { ContactField, ExtractedFields, IntentLevel, QualificationSignals } from './extraction.types';

// English, and the German, French and Spanish a visitor of a DE or CA account (or a US one) writes.
const BUYING =
  /\b(?:quote|estimate|book|booking|schedule|appointment|buy|purchase|order|hire|sign me up|sign up|consultation|site visit|come in|come out|pricing|price|prices|how much|cost|rates?|availability|available|openings?|install|reserve|reservation|valuation|viewing|test drive|angebot|kostenvoranschlag|termin|beratung|kaufen|probefahrt|besichtigung|devis|rendez-vous|prix|tarifs?|réservation|presupuesto|cotización|cita|precio|reserva)\b/i;
const ASKING = /\b(?:i'?d like|i would like|would like|i want|we want|i need|we need|need a|looking for|looking to|interested in|after a quote|please|can (?:i|you|we)|could (?:i|you|we)|would you|do you|send me|get me|ich möchte|ich brauche|ich suche|wir suchen|ich interessiere|interessiert|je voudrais|j'aimerais|je cherche|quiero|quisiera|necesito|busco)\b/i;
const CURIOUS = /\?|\b(?:do you|can you|are you|what|when|how|which|where)\b/i;
const URGENT_HIGH = /\b(?:asap|a\.s\.a\.p|urgent(?:ly)?|emergency|right away|immediately|today|tonight|right now|as soon as possible|leaking|flooding|flooded|no heat|burst|locked out|sofort|dringend|heute|notfall|urgence|aujourd'hui|urgente|hoy)\b/i;
const URGENT_LOW = /\b(?:this week|tomorrow|soon|next week|this weekend|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|within (?:a|the next|\d+) (?:days?|weeks?)|this month|before (?:the )?(?:weekend|holidays?))\b/i;
// A unit must end the word: "50674 Köln" is a postal code and a town, not 50,674 thousand.
const BUDGET = /(?:[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|dollars|usd|eur|euros?|pounds|gbp|aud|cad)(?![\p{L}\p{N}])|\bbudget\b|\bspend\b|\bafford\b|\bbis \d[\d.,]*\s?(?:euro|€))/iu;
const SIZE =
  /\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundred)\s*(?:-\s*)?(?:sq\.?\s*(?:ft|feet|m)|square\s+(?:feet|foot|meters?|metres?|yards?)|sqft|m2|m²|acres?|hectares?|rooms?|bedrooms?|bathrooms?|baths?|beds?|br|bd|floors?|stor(?:e)?ys?|units?|boxes|pieces|items|people|guests|gäste|personen|employees|staff|windows|doors|trees|cars?|vehicles?|pages|feet|ft|meters|metres|yards|gallons|litres|liters|tons?|pallets?|seats|users|licen[cs]es|locations|sites)\b/i;
const BY_PHONE = /\b(?:call me|phone me|give me a (?:call|ring)|ring me|call back|by phone|over the phone|phone call|please call|have someone call|reach me (?:by|on) (?:phone|my cell)|rufen sie mich|rückruf|appelez-moi|llámame|llamarme)(?![\p{L}])/iu;
const BY_SMS = /\b(?:text me|txt me|by text|via text|sms|whatsapp|message me|text is best|texting)\b/i;
const BY_EMAIL = /\b(?:e-?mail me|by e-?mail|via e-?mail|email is best|send (?:it|them|me)[^.?!]{0,30}e-?mail|best email|prefer e-?mail|per (?:e-?)?mail|par (?:e-?mail|courriel)|por (?:e-?mail|correo))\b/i;

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
