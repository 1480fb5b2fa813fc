// Street addresses and postal codes for US, CA, GB, AU and DE conventions. Patterns, not a
// geocoder: no address library on npm parses free chat text offline for all five regions
// (libpostal needs a 2 GB model), and these shapes cover how people type their address.
import { distinctiveInRegion, normalisePostalCode, POSTAL_CUE, postalPatternFor, STATE_BEFORE } from './postal-code';

export interface AddressMention {
  start: number;
  end: number;
  text: string;
  postalCode?: { start: number; end: number; value: string };
}
export interface PostalCodeMention { start: number; end: number; value: string; cued: boolean }

const W = String.raw`(?:\d{1,4}(?:st|nd|rd|th)\b|[\p{Lu}\d][\p{L}\p{M}'’.\-]*)`; // a capitalised or numbered ("5th", "38th") word
const SUFFIX = String.raw`(?:Street|St|Avenue|Ave|Av|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Tce|Crescent|Cres|Close|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Row|Mews|Grove|Gardens|Gdns|Parade|Pde|Walk|Hill|Green|Rise|Esplanade|Loop|Pike|Alley|Broadway|Plaza|Expressway|Freeway|Crossing|Point|Ridge)\.?`;
const DIRECTION = String.raw`(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?`;
const UNIT = String.raw`(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Level|Lvl|Rm|Room|Bldg|#)\.?\s*#?\s*[\dA-Z][\w\-]{0,5})`;
const STATE = String.raw`(?:[A-Z]{2,3})`;
const DE_STREET = String.raw`(?:[\p{Lu}][\p{L}\-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad)|(?:Am|An der|Auf dem|Im|In der|Unter den)\s+[\p{Lu}][\p{L}\-]+)`;

// Street types written before the name, as in Québec: "2210 Rue Sherbrooke E".
const PREFIX = String.raw`(?:Rue|Avenue|Av|Boulevard|Boul|Chemin|Ch|Route|Rte|Rang|Côte|Montée|Promenade|Impasse|Allée|Place)\.?`;
const FR_PARTICLE = String.raw`(?:(?:de|du|des|de la|la|le|les)\s+|[ld]['’])`;

function buildPatterns(region: string): RegExp[] {
  const postal = `(?:${postalPatternFor(region)})`;
  // "City, ST 12345" / "City ST 12345" / "City, ON M5V 2T6" / "London SW1A 2AA" / "Sydney NSW 2000" /
  // "Dayton, Ohio 45405" (a state written out)
  const locality = String.raw`(?:,?\s+(?:${W}\s+){0,2}${W}(?:,?\s+(?:${STATE}|${W}))?,?\s+${postal}(?![\w])|,?\s+(?:${W}\s+){0,2}${W},?\s+${STATE}(?![\w]))`;
  const number = String.raw`\b\d{1,6}[A-Za-z]?(?:[\-/]\d{1,4})?`;
  const english = String.raw`${number}\s+(?:${DIRECTION}\s+)?(?:${W}\s+){0,4}${SUFFIX}(?:\s+${DIRECTION})?(?![\p{L}])${UNIT}*(?:${locality})?`;
  const french = String.raw`${number},?\s+${PREFIX}\s+${FR_PARTICLE}*${W}(?:\s+${W}){0,2}?(?:\s+(?:${DIRECTION}|Est|Ouest|O))?(?![\p{L}])${UNIT}*${locality}`;
  const german = String.raw`${DE_STREET}\s+\d{1,4}[a-zA-Z]?(?:,?\s+(?:D-)?\d{5}\s+[\p{Lu}][\p{L}\-]+(?:\s+(?:am|an der|im)\s+[\p{Lu}][\p{L}]+)?)?`;
  // Typed without capitals ("1520 w 38th st minneapolis mn 55409"): any case, but only a whole
  // address (street, town, state and postal code), since lower-case words are everywhere.
  const anyCase = String.raw`\b\d{1,6}[a-z]?\s+(?:${DIRECTION}\s+)?(?:(?:\d{1,4}(?:st|nd|rd|th)|[\p{L}][\p{L}'’\-]*)\s+){0,3}${SUFFIX}(?:\s+${DIRECTION})?(?![\p{L}])${UNIT}*,?\s+(?:[\p{L}][\p{L}'’\-]*\s+){0,2}[\p{L}][\p{L}'’\-]*,?\s+[a-z]{2,3}\s+(?:${postal})(?![\w])`;
  return [new RegExp(english, 'gu'), new RegExp(french, 'gu'), new RegExp(german, 'gu'), new RegExp(anyCase, 'giu')];
}

const cache = new Map<string, { patterns: RegExp[]; postal: RegExp; lone: RegExp }>();
function patternsFor(region: string) {
  const key = region.toUpperCase();
  let entry = cache.get(key);
  if (!entry) {
    const shape = postalPatternFor(key);
    entry = {
      patterns: buildPatterns(key),
      postal: new RegExp(String.raw`(?<![\w\-])(?:${shape})(?![\w\-])`, 'gu'),
      lone: new RegExp(String.raw`^\s*(?:${shape})\s*[.!]?\s*$`, 'u'),
    };
    cache.set(key, entry);
  }
  return entry;
}

export function findAddresses(text: string, region: string): AddressMention[] {
  const { patterns, postal } = patternsFor(region);
  const out: AddressMention[] = [];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      const raw = m[0].replace(/[\s,.]+$/, '');
      if (out.some((a) => start < a.end && a.start < start + raw.length)) continue;
      const mention: AddressMention = { start, end: start + raw.length, text: raw };
      // The postal code is the last code-shaped token of the address.
      let code: RegExpMatchArray | undefined;
      for (const c of raw.matchAll(postal)) if ((c.index ?? 0) > 0) code = c;
      if (code) {
        mention.postalCode = { start: start + (code.index ?? 0), end: start + (code.index ?? 0) + code[0].length, value: normalisePostalCode(code[0]) };
      }
      out.push(mention);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Codes said as codes: after "zip"/"postcode" or a state ("Ottawa ON K2P 1L4"), a Canadian or
 * British code in its own region, or a message that is nothing but a code.
 */
export function findCuedPostalCodes(text: string, region: string): PostalCodeMention[] {
  const { postal, lone } = patternsFor(region);
  if (lone.test(text)) {
    const start = text.search(/\S/);
    const raw = text.trim().replace(/[.!]$/, '');
    return [{ start, end: start + raw.length, value: normalisePostalCode(raw), cued: false }];
  }
  const out: PostalCodeMention[] = [];
  for (const m of text.matchAll(postal)) {
    const start = m.index ?? 0;
    const before = text.slice(Math.max(0, start - 30), start);
    if (POSTAL_CUE.test(before) || STATE_BEFORE.test(before) || distinctiveInRegion(m[0], region)) {
      out.push({ start, end: start + m[0].length, value: normalisePostalCode(m[0]), cued: true });
    }
  }
  return out;
}
