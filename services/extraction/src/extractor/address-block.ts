// Loose street-address spans for any country, used by span detection: "0304 Rua Cidade de
// Maracajá 468, Joinville", "Villacher Strasse 89", multi-line blocks with a suite, a town and a
// country. Field extraction keeps the stricter address.detector; this only has to say "here is
// an address" so that town and street names are not mistaken for people.

import { lexicon } from './lexicon';

const CUE = /(?:\b(?:at|on|to|in|of|address(?:\s+is)?|corner of|located at|lives? (?:at|on)|moved to|sent to|here they are|same)\s*[:,]?|[:>?]|\band)\s*$/i;
const PARTICLE = /^(?:de|del|della|di|da|do|dos|das|la|le|les|du|des|van|von|der|den|y|e|al|el|ul\.|u\.|rkp\.|utca|rue|via|rua|calle|tér|út|str\.|the corner of|and|nan)$/i;
const STREET_WORD = /\b(?:street|st|road|rd|avenue|ave|lane|drive|dr|way|place|square|sq|blvd|boulevard|court|close|crescent|terrace|bypass|forges|extensions|rue|via|rua|calle|avenida|avda|straße|strasse|gasse|weg|vej|vägen|veien|vegen|katu|kuja|tie|u\.|ul\.|utca|tér|út)\b/i;
const UNIT = /^(?:apt\.?|apartment|suite|ste\.?|unit|box|flat)$/i;

interface Tok { text: string; start: number; end: number; line: number }

function tokensFrom(text: string, from: number): Tok[] {
  const out: Tok[] = [];
  const re = /[^\s,]+/g;
  re.lastIndex = from;
  let line = 0;
  let last = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const gap = text.slice(last, m.index);
    const breaks = (gap.match(/\n/g) ?? []).length;
    if (breaks > 1 || out.length > 40) break; // a blank line ends the block
    line += breaks;
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, line });
    last = m.index + m[0].length;
  }
  return out;
}

function addressWord(t: string): boolean {
  return /^[\p{Lu}\d(]/u.test(t) || PARTICLE.test(t) || UNIT.test(t) || /^[\p{Lu}\d]/u.test(t.replace(/^[>?]+/, ''));
}

/** Extends an address from `start` over address-looking words, commas and short lines. */
function extend(text: string, start: number): { end: number; words: number; lines: number; hasNumberAfterWord: boolean } {
  const toks = tokensFrom(text, start);
  let end = start;
  let words = 0;
  let lines = 0;
  let hasNumberAfterWord = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const bare = t.text.replace(/[.;!?"')]+$/, (s) => (s === '.' && /^(?:\p{Lu}|apt|ste|st|rd|dr|ave|avda|ul|u|rkp|str)\.$/iu.test(t.text) ? '.' : ''));
    if (t.line > lines) {
      // A new line continues the block only if it is short and not a label ("Mobile: ...").
      const lineText = text.slice(t.start, text.indexOf('\n', t.start) < 0 ? text.length : text.indexOf('\n', t.start));
      if (lineText.length > 45 || /:|@|https?:|www\./i.test(lineText)) break;
      lines = t.line;
    }
    if (/^[>?]+$/.test(t.text)) continue;
    if (!addressWord(bare)) break;
    if (/^\d/.test(bare) && words > 0) hasNumberAfterWord = true;
    if (/^\p{L}/u.test(bare)) words++;
    end = t.start + bare.length;
    if (bare.length < t.text.length && /[.;!?]$/.test(t.text) && !/\.$/.test(bare)) break; // sentence end
    const prev = toks[i - 1]?.text.replace(/,$/, '') ?? '';
    if (/^(?:\d{4,6}(?:-\d{3,4})?)$/.test(bare) && i > 2 && (/^[A-Z]{2,3}$/.test(prev) || lexicon().places.has(prev.toLowerCase()))) {
      // a postal code after a state or country closes the address
      const next = toks[i + 1];
      if (!next || next.line > t.line) break;
    }
  }
  return { end, words, lines, hasNumberAfterWord };
}

export function findLooseAddresses(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const starts = /(?<![\w\-.,])(?:\d{1,6}(?:[ \t]+\d{1,6})?[ \t]+(?=[\p{Lu}]|(?:rue|via|rua|calle|ul\.|avenida)\b)|the corner of |(?:USS|USNS|USNV|USCGC|PSC|Unit) (?=\p{Lu}|\d)|(?<=[:>?][ \t]*)(?=(?:[\p{Lu}][\p{L}\p{M}'’\-]*[ \t]+and[ \t]+)?(?:ul\.[ \t]+)?[\p{Lu}][\p{L}\p{M}'’.\-]*(?:[ \t]+[\p{Lu}][\p{L}\p{M}'’.\-]*){0,3}[ \t]+\d{1,5}\b)|(?<=\b(?:at|on|to|is|of|following\?)[ \t]+)(?=(?:[\p{Lu}][\p{L}\p{M}'’\-]*[ \t]+and[ \t]+)?(?:ul\.[ \t]+)?[\p{Lu}][\p{L}\p{M}'’.\-]*(?:[ \t]+[\p{Lu}][\p{L}\p{M}'’.\-]*){0,3}[ \t]+\d{1,5}\b))/gu;
  for (const m of text.matchAll(starts)) {
    const start = m.index ?? 0;
    if (out.some((o) => start < o.end)) continue;
    const numberLed = /^\d/.test(m[0]);
    const cued = CUE.test(text.slice(Math.max(0, start - 25), start)) || start === 0 || /\n[ \t>?]*$/.test(text.slice(0, start));
    const e = extend(text, start);
    if (e.words === 0 || e.end <= start) continue;
    const span = text.slice(start, e.end);
    const streety = STREET_WORD.test(span) || e.hasNumberAfterWord || e.lines > 0 || /,/.test(span);
    if (numberLed ? !(cued || streety) || e.words < 1 : !cued || !e.hasNumberAfterWord) continue;
    if (numberLed && !cued && e.words < 2) continue;
    out.push({ start, end: e.end });
  }
  return out;
}
