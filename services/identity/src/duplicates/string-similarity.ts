/**
 * String comparators for names, streets and identifiers.
 *
 * Hand-written rather than taken from a library (talisman, natural): these run in the innermost
 * loop (several calls per candidate pair, millions per large account), so they avoid allocating
 * per call beyond two small typed arrays, and the bounded edit distance stops early once the
 * bound is exceeded. The libraries offering them are either unmaintained (talisman, last release
 * 2020) or very large (natural). Each is the textbook algorithm and is unit-tested.
 */

// Math's functions bound once: in a VM context (Jest) every `Math.x` is a slow global lookup.
const { max, min, floor, abs } = Math;

// Reused per call instead of allocated: this runs millions of times when learning u.
const scratchBuffers = [new Uint8Array(64), new Uint8Array(64)];
function scratch(which: 0 | 1, length: number): Uint8Array {
  if (scratchBuffers[which].length < length) scratchBuffers[which] = new Uint8Array(length * 2);
  const buffer = scratchBuffers[which];
  buffer.fill(0, 0, length);
  return buffer;
}

/** Jaro-Winkler similarity in [0, 1]; the prefix bonus rewards agreeing first letters, as in names. */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = max(0, floor(max(la, lb) / 2) - 1);
  const matchedA = scratch(0, la);
  const matchedB = scratch(1, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = max(0, i - window);
    const to = min(lb - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * prefixScale * (1 - jaro);
}

const rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * adjacent characters), the usual model of typing errors such as 19560409 vs 19650409.
 * Returns `max + 1` as soon as the distance is known to exceed `max`, which keeps it cheap.
 */
export function damerauLevenshtein(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  // Three rolling rows (two back is needed for the transposition step), reused across calls.
  if (rows[0].length < lb + 1) for (let r = 0; r < 3; r++) rows[r] = new Int32Array((lb + 1) * 2);
  let prev2 = rows[0];
  let prev = rows[1];
  let curr = rows[2];
  prev2.fill(0, 0, lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    curr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = min(prev[j] + 1, curr[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        d = min(d, prev2[j - 2] + 1);
      }
      curr[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const spare = prev2;
    prev2 = prev;
    prev = curr;
    curr = spare;
  }
  return prev[lb];
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3',
  l: '4',
  m: '5', n: '5',
  r: '6',
};

/**
 * American Soundex (letter + three digits): a coarse phonetic key for blocking, so that
 * "smith" and "smyth" land in the same block. Non-letters are ignored; "" for no letters.
 */
export function soundex(value: string): string {
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length === 0) return '';
  let code = letters[0].toUpperCase();
  let last = SOUNDEX_CODES[letters[0]] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const ch = letters[i];
    const digit = SOUNDEX_CODES[ch];
    if (digit !== undefined && digit !== last) code += digit;
    // h and w do not separate letters with the same code; vowels do.
    if (ch !== 'h' && ch !== 'w') last = digit ?? '';
  }
  return code.padEnd(4, '0');
}
