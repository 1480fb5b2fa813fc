// Finds people's names in a sentence without a statistical model: capitalised word runs are
// scored by what the names lexicon and an English dictionary say about each word and by the
// words around the run ("Mr.", "my name is", "said", "from", "Inc."). The weights are plain
// linguistic cues, tuned on Presidio's synthetic sentences as a whole, never per sentence.
import { lexicon } from './lexicon';
import { adjacent, startsSentence, Word, words } from './name-tokens';

export interface PersonName {
  start: number;
  end: number;
  text: string;
  words: Word[];
  /** a title stood before it (Mr., Dr.) */
  titled: boolean;
  score: number;
}

// Words right before a run that introduce a person.
const CUE_BEFORE =
  /(?:\bname(?:'s| is| was|\s*:|\?)|\bnamed(?: him| her)?|\bhere's|\b(?:mr|mrs|ms|dr|miss)\.|\bmy (?:kid|son|daughter|wife|husband|friend|partner|mother|father|mom|dad|brother|sister|boss|colleague)|\bcalled|\bcalls? me|\bi'?m|\bi am|\bthis is|\bit'?s|\bdear|\bhi|\bhello|\bhey|\bthanks|\bby|\bsaid|\bsays|\bask(?:ed)? for|\bspeak (?:to|with)|\bwith|\bunder|\bcontact|\bfrom:|\bto:|\bsigned|\bregards|\bcheers|\bmeet|\bich bin|\bich heiße|\bje m'appelle|\bme llamo|\bsoy)\s*[,:]?\s*$/i;
const WEAK_BEFORE = /(?:\band|\bor|\bto|\bfor|\babout|\bof|,)\s*$/i;
const PLACE_BEFORE = /\b(?:in|at|from|near|visit(?:ing)?|across|around|of|based in|where:?|(?:flew|travel(?:l)?ing|moved|went|returned|drove|arrived) to)\s*$/i;
// "Barnett, Melton and Garcia" heading a line or after "from/at/for": the way firms are named.
const FIRM = /(?:^|\n|>|\b(?:from|at|for|of|The)[ \t])[ \t]*(\p{Lu}[\p{L}'’\-]+, \p{Lu}[\p{L}'’\-]+,? and \p{Lu}[\p{L}'’\-]+)/gu;
// Words right after a run that show it acts or speaks like a person.
// Verbs of people (speaking, living, writing), not of anything ("is", "has").
const VERB_AFTER =
  /^[ \t]*(?:[:,]|said|says|asked|told|had given|lives|lived|began|listed|spent|shouted|explained|wrote|writes|called|flew|here\b|and\b|will be talking|is very|is a very|is from|was born|just has|\()/i;
const ORG_WORD =
  /^(?:inc|llc|ltd|limited|corp|corporation|co|company|group|gmbh|ag|plc|bank|university|foundation|association|institute|orchestra|agency|research|capital|insurance|partners|holdings|solutions|systems|technologies|services|sons|brothers|associates|investments|analytics|consulting|lines|airlines|motors|media|networks|software|labs|data|news|schools|industries|enterprises|international|global|logistics|ventures|communications|financial|finance|energy|health|pharmaceuticals|realty|properties|trust|brands|foods|ratings)\.?$/i;
// A run ending in one of these is a street ("Marina Fort Street", "Mathias Pass").
const STREET_WORD =
  /^(?:street|streets|st|road|rd|avenue|ave|lane|drive|way|court|courts|place|square|squares|pass|bypass|trail|harbor|harbour|mill|mills|isle|union|hills|heights|park|gardens|crossing|points|forges|extensions|route|routes|junction|forks?|valley|view|ville|vista|wells|springs|station|landing|creek|lakes?|bridge|falls|grove|manor|meadows?|ridge|shores?|terrace|walk|crescent|close|parkway|boulevard|blvd|highway|plaza|straße|strasse|bundesstrasse|gasse|weg|allee)\.?$/i;
// "San Bernardino", "Port Paien", "Lake Shelby": words that open place names.
const PLACE_START = /^(?:san|santa|santo|são|los|las|la|le|el|saint|st|ste|port|porto|puerto|fort|mount|mt|new|north|south|east|west|lake|cape|bad|sankt|villa|ciudad|cite|cité)\.?$/i;
const ORG_AFTER =
  /^[ \t]*(?:&|inc\b|llc\b|ltd\b|limited\b|corp\b|corporation\b|co\b\.?|company\b|group\b|gmbh\b|ag\b|plc\b|bank\b|university\b|college\b|school\b|foundation\b|association\b|institute\b|hospital\b|clinic\b|records\b|studios?\b|labs?\b|partners\b|holdings\b|solutions\b|systems\b|technologies\b|services\b|orchestra\b|band\b)/i;
const STREET_AFTER =
  /^[ \t]*(?:street|st\b|avenue|ave\b|road|rd\b|boulevard|blvd|lane|ln\b|drive|dr\b|way\b|court|ct\b|place|pl\b|square|sq\b|terrace|crescent|close|highway|hwy|parkway|pkwy|straße|strasse|str\b|weg\b|platz|allee|gasse)/i;

const WEIGHT: Record<Word['kind'], number> = {
  name: 2, unknown: 1, ambiguous: 0.5, initial: 0.5, particle: 0, place: -2, title: 0, word: -3,
};

function runs(text: string, ws: Word[]): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  const flush = () => {
    while (cur.length && cur[cur.length - 1].kind === 'particle') cur.pop();
    if (cur.length) out.push(cur);
    cur = [];
  };
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const joinable = w.capitalised || (w.kind === 'particle' && cur.length > 0 && ws[i + 1]?.capitalised);
    if (joinable && (cur.length === 0 || adjacent(text, cur[cur.length - 1], w))) cur.push(w);
    else {
      flush();
      if (w.capitalised) cur.push(w);
    }
  }
  flush();
  return out;
}

/** Cuts a run at everyday words: "Why is Rebecca" keeps "Rebecca". */
function pieces(run: Word[]): { ws: Word[]; titled: boolean }[] {
  const out: { ws: Word[]; titled: boolean }[] = [];
  let cur: Word[] = [];
  let titled = false;
  for (const w of run) {
    if (w.kind === 'title') {
      if (cur.length) out.push({ ws: cur, titled });
      cur = [];
      titled = true;
    } else if (w.kind === 'word') {
      if (cur.length) out.push({ ws: cur, titled });
      cur = [];
      titled = false;
    } else cur.push(w);
  }
  if (cur.length) out.push({ ws: cur, titled });
  return out;
}

function score(text: string, ws: Word[], titled: boolean): number {
  const first = ws[0];
  const last = ws[ws.length - 1];
  const before = text.slice(Math.max(0, first.start - 40), first.start).split('\n').pop() ?? '';
  const after = text.slice(last.end + (last.possessive ? 2 : 0), last.end + 30);
  // A title outweighs a town of the same name: "Ms. Austin".
  let s = ws.reduce((sum, w) => sum + (titled && w.kind === 'place' ? 1 : WEIGHT[w.kind]), 0);
  const nameish = ws.filter((w) => w.kind === 'name' || w.kind === 'unknown' || w.kind === 'ambiguous').length;
  if (nameish === 0) return -1;
  if (titled) s += 3;
  if (CUE_BEFORE.test(before)) s += 2;
  else if (WEAK_BEFORE.test(before)) s += 0.5;
  if (last.possessive || VERB_AFTER.test(after)) s += 1;
  if (ORG_AFTER.test(after) || STREET_AFTER.test(after)) s -= 5;
  const cued = CUE_BEFORE.test(before);
  const placeCue = before.match(PLACE_BEFORE)?.[0].trim().toLowerCase();
  if (!titled && !cued && placeCue && !/^[ \t]*:/.test(after)) {
    // "from Fortaleza" is a place even if Fortaleza is a surname; "the gender of Kristin" is not.
    const nameLike = ws.some((w) => w.kind === 'name');
    if (placeCue === 'of' ? !nameLike : ws.length === 1 || !nameLike) s -= 2;
  }
  // "The Princess Royal", "the Ruoho novel": an article makes it a thing, not a person.
  // ...unless a noun follows, as in "the Ruoho novel" (a person's name used as a modifier).
  if (!titled && /\bthe\s*$/i.test(before) && !/^[ \t]+\p{Ll}/u.test(after)) s -= 2;
  // "Billing address:" is a label, not a person.
  if (/^[ \t]+\p{Ll}+:/u.test(after)) s -= 5;
  // A lone double-barrelled word ("Fritz-Armstrong") names a firm more often than a person.
  if (ws.length === 1 && !titled && !cued && /^\p{Lu}\p{Ll}+-\p{Lu}/u.test(first.text)) s -= 2;
  if (ws.length === 1 && first.kind !== 'name' && startsSentence(text, first) && !VERB_AFTER.test(after)) s -= 1;
  if (ws.length > 1 && ws.length <= 4) s += 0.5;
  return s;
}

export const PERSON_THRESHOLD = 2;

/** Every person's name mentioned in the text, best guess, in order. */
/**
 * In text typed all in lower case ("my name is lena andersson") capitals say nothing, so words
 * the names lexicon knows, and unknown words next to them, stand in for capitalised ones.
 */
function recapitalise(text: string, ws: Word[]): Word[] {
  const { rareWords } = lexicon();
  const known = ws.map((w) => w.kind === 'name' && !rareWords.has(w.text.toLowerCase()));
  // ...and any word right after "my name is" / "call me" and the word after it.
  const introduced = ws.map((w, i) => i > 0 && /(?:name is|call me|calls me|named|called)\s*$/i.test(text.slice(Math.max(0, w.start - 16), w.start)));
  introduced.forEach((yes, i) => {
    if (yes && ws[i].kind !== 'word') known[i] = true;
  });
  return ws.map((w, i) => {
    const nearName = known[i - 1] || known[i + 1];
    return known[i] || (w.kind === 'unknown' && nearName) || (w.kind === 'initial' && nearName) ? { ...w, capitalised: true } : w;
  });
}

export function findPersonNames(text: string, threshold = PERSON_THRESHOLD): PersonName[] {
  const out: PersonName[] = [];
  const lowerCase = !/\p{Lu}/u.test(text);
  const ws = lowerCase ? recapitalise(text, words(text)) : words(text);
  const firms = [...text.matchAll(lowerCase ? new RegExp(FIRM.source, 'giu') : FIRM)].map((m) => ({ start: (m.index ?? 0) + m[0].indexOf(m[1]), end: (m.index ?? 0) + m[0].length }));
  for (const run of runs(text, ws)) {
    // "Aunt Bertha Inc", "Miller Ltd": a company, whatever its words.
    if (run.some((w) => ORG_WORD.test(w.text))) continue;
    const street = run.length > 1 && run[0].kind !== 'title' && STREET_WORD.test(run[run.length - 1].text);
    if (street || (run.length > 1 && PLACE_START.test(run[0].text))) continue;
    if (lexicon().places.has(run.map((w) => w.text).join(' ').toLowerCase())) continue;
    for (const { ws: piece, titled } of pieces(run)) {
      let trimmed = piece;
      while (trimmed.length && (trimmed[0].kind === 'particle' || trimmed[0].kind === 'initial') && !titled) trimmed = trimmed.slice(1);
      while (trimmed.length && trimmed[trimmed.length - 1].kind === 'particle') trimmed = trimmed.slice(0, -1);
      if (!trimmed.length) continue;
      const s = score(text, trimmed, titled);
      if (s < threshold) continue;
      const start = trimmed[0].start;
      const end = trimmed[trimmed.length - 1].end;
      if (firms.some((f) => start < f.end && f.start < end)) continue;
      out.push({ start, end, text: text.slice(start, end), words: trimmed, titled, score: s });
    }
  }
  return out;
}
