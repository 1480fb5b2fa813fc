// Phone numbers in free text. libphonenumber-js decides what a number is and gives its E.164
// form in the account's region; the shape filter in front of it only keeps out digit runs that
// are something else (card numbers, dates, order numbers).
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Owner, whose } from './ownership';
import { lineBefore } from './text-window';

export interface PhoneMention {
  start: number;
  end: number;
  raw: string;
  /** E.164 when libphonenumber-js finds the number possible in the region, else null */
  e164: string | null;
  /** whose number the phrasing says it is ("my cell", "my wife's", "our main line") */
  owner: Owner;
}

// A "+" or digit, then digits with the separators people type in numbers, on one line, then an
// optional extension. Slashes and colons are left out: they belong to dates and times.
const CANDIDATE =
  /(?<![\w@+\-.\/#$€£])(?:\+\s?|00)?(?:\(\s?\d{1,5}\s?\)[ \t.\-]?)?\d(?:[ \t.\-]{0,2}(?:\(\d{1,4}\))?[ \t.\-]{0,2}\d)+(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w@\-\/]|[.,:]\d)/gi;

// Words just before a number that make it an identifier, an amount or a reference, not a phone.
// German, French and Spanish reference words too ("Bestellnummer", "n° de commande", "pedido").
const NOT_A_PHONE_BEFORE =
  /(?<![\p{L}])(?:order|ticket|invoice|stock|account|acct|card|licen[cs]e|passport|ssn|social security|zip(?:\s*code)?|postal\s*code|post\s*code|postcode|plz|ref(?:erence)?|confirmation|tracking|case|po|policy|claim|member|id|serial|vin|iban|ssn|no\.?|#|\$|€|£|usd|eur|gbp|(?:bestell|kunden|rechnungs|auftrags|vorgangs|sendungs|vertrags|konto|artikel|referenz|buchungs|mitglieds|versicherungs|fall|ticket)(?:nummer|nr\.?)|bestellung|rechnung|auftrag|n[°º]|num[ée]ro de (?:commande|client|facture|suivi|dossier|r[ée]servation)|commande|facture|n[úu]mero de (?:pedido|cliente|factura|seguimiento|orden|reserva)|pedido|factura)\s*(?:number|no\.?|#)?\s*(?:is|was|ist|war|est|es|:)?\s*#?\s*$/iu;
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Is this digit run shaped like a phone number rather than a card, date or bare count? */
export function phoneShaped(raw: string): boolean {
  const main = raw.replace(/\s?(?:x|ext\.?|extension)\s?\d+$/i, '');
  const digits = main.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const separated = /[\s.\-()]/.test(main.trim());
  if (!separated && !main.startsWith('+') && digits.length >= 12) return false; // card and account numbers
  if (!separated && digits.length >= 12 && luhn(digits)) return false;
  if (/^(?:19|20)\d\d[-.](?:0?[1-9]|1[0-2])[-.]\d\d?(?:\s|$)/.test(main)) return false; // ISO date
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(main)) return false; // IPv4 address
  if (/^\d{1,2}[-.]\d{1,2}[-.](?:19|20)\d\d$/.test(main)) return false; // day-month-year
  if (/^(?:19|20)\d\d\s?-\s?(?:19|20)\d\d$/.test(main)) return false; // a span of years
  if (/^\d{3}-\d{2}-\d{4}$/.test(main)) return false; // US social security number shape
  if (/^\d{4}([ \-])\d{4}\1\d{4}\1\d{4}/.test(main)) return false; // grouped card number
  return true;
}

/** Parses one candidate in the region; null when libphonenumber-js finds it impossible. */
export function toE164(raw: string, region: string): string | null {
  const n = parsePhoneNumberFromString(raw.replace(/\((0)\)/, ''), region.toUpperCase() as CountryCode);
  return n && n.isPossible() ? n.number : null;
}

export function findPhones(text: string, region: string): PhoneMention[] {
  const found: PhoneMention[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[0].replace(/[\s.\-]+$/, '');
    const start = m.index ?? 0;
    const end = start + raw.length;
    if (!phoneShaped(raw)) continue;
    if (NOT_A_PHONE_BEFORE.test(lineBefore(text, start, 24))) continue;
    // "Apt. 675 62314 Mellemvej": numbers running into a street name are an address.
    if (/^\d+ \d+$/.test(raw) && /^ (?!I\b)\p{Lu}\p{Ll}/u.test(text.slice(end, end + 3))) continue;
    found.push({ start, end, raw, e164: toE164(raw, region), owner: whose(text, start, end) });
  }
  return found;
}
