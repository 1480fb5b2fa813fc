// Postal-code shapes for the regions Leadline serves first. Only the shape lives here; whether a
// code is the visitor's depends on where it sits (an address, "my zip is ...").
export const POSTAL_PATTERNS: Record<string, string> = {
  US: String.raw`\d{5}(?:-\d{4})?`,
  CA: String.raw`[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \-]?\d[ABCEGHJ-NPRSTV-Z]\d`,
  GB: String.raw`(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})`,
  AU: String.raw`\d{4}`,
  DE: String.raw`\d{5}`,
};

/** Shapes to try for a region: its own first, then the others (visitors move and travel). */
export function postalPatternFor(region: string): string {
  const own = POSTAL_PATTERNS[region.toUpperCase()];
  const others = Object.entries(POSTAL_PATTERNS)
    .filter(([r]) => r !== region.toUpperCase() && r !== 'AU' && r !== 'DE')
    .map(([, p]) => p);
  return [own, ...others].filter(Boolean).join('|');
}

/** Canonical form: upper case, one space before the inward part of CA and GB codes. */
export function normalisePostalCode(code: string): string {
  const c = code.toUpperCase().replace(/\s+/g, ' ').trim();
  if (/^[A-Z]\d[A-Z][ \-]?\d[A-Z]\d$/.test(c)) return `${c.slice(0, 3)} ${c.slice(-3)}`;
  if (/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(c)) return `${c.replace(' ', '').slice(0, -3)} ${c.slice(-3)}`;
  return c;
}

// A word telling the next thing is a postal code, in the languages of those regions.
export const POSTAL_CUE = /\b(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode|plz|postleitzahl|code\s+postal)\b\s*(?:is|ist|:|=|-)?\s*$/i;

// US states, Canadian provinces and Australian states as written before a postal code
// ("Fitzroy VIC 3065", "Ottawa ON K2P 1L4"). Upper case only: "in", "or", "me" are words.
const STATE_CODES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|SA|TAS|ACT';
export const STATE_BEFORE = new RegExp(`(?<![\\p{L}])(?:${STATE_CODES})\\.?,?\\s*$`, 'u');

/**
 * A Canadian or British code in the account's own region, written with its space ("K2P 1L4",
 * "BS6 6DR"): letters and digits in that order are a postal code whatever words surround it.
 */
export function distinctiveInRegion(code: string, region: string): boolean {
  const r = region.toUpperCase();
  if (r !== 'CA' && r !== 'GB') return false;
  return new RegExp(`^(?:${POSTAL_PATTERNS[r]})$`, 'u').test(code) && / /.test(code) && /\d/.test(code) && /[A-Z]/.test(code);
}
