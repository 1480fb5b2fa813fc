// The visitor's own name: only when they introduce themself ("my name is", "I'm", "it's Dana
// btw", "Rebecca here", a signature) or answer a request for their name. A name the visitor
// mentions otherwise (the assistant's, a friend's) is not theirs.
import { Candidate, correctsEarlier } from './corrections';
import { findEmails } from './email.detector';
import { TranscriptMessage } from './extraction.types';
import { kindOf, Word, words } from './name-tokens';

export interface NameCandidate extends Candidate {
  end: number;
  firstName: { text: string; start: number; end: number };
  lastName?: { text: string; start: number; end: number };
  confidence: number;
}

// Introductions that say outright a name follows.
const STRONG_CUE =
  /(?:\bmy\s+(?:full\s+|first\s+)?name\s+is|\bmy\s+name's|\bname's|\bname\s+is|\bname:|\bcall\s+me|\bi\s+go\s+by|\bmein\s+name\s+ist|\bich\s+heiße|\bje\s+m'appelle|\bme\s+llamo|\bmi\s+nombre\s+es|\bsigned|\bit's\s+under|\bunder\s+the\s+name)\s*[,:]?\s*$/i;
// Introductions that may also precede other words: "I'm interested", "it's broken".
const WEAK_CUE = /(?:\bi'?m|\bi\s+am|\bthis\s+is|\bit'?s|\bich\s+bin|\bsoy|\bje\s+suis|\bhere\s+is|\bhere's)\s*[,:]?\s*$/i;
const OTHER_PERSON = /\b(?:his|her|their|wife|husband|partner|friend|son|daughter|mom|mum|mother|dad|father|boss|kid|child|brother|sister)(?:'s)?\s+(?:full\s+)?name/i;
const SIGN_OFF = /(?:^|\n)\s*(?:thanks|thank you|many thanks|regards|best regards|kind regards|best|cheers|sincerely|warmly|mit freundlichen grüßen|viele grüße|gruß|--|—|-)\s*[,!.]?\s*\n\s*$/i;
const ASKS_NAME =
  /\b(?:your (?:[\w ]{0,24} )?name|who (?:am i|i'm) (?:speaking|chatting|talking) (?:to|with)|who is this|name (?:please|for the)|what should (?:i|we) call you|how (?:should|may|can) (?:i|we) address you|wie heißen sie|ihr name)\b/i;

type Strength = 'strong' | 'weak' | 'answer' | 'signature' | 'here';

const CONFIDENCE: Record<Strength, number> = { strong: 0.95, answer: 0.9, weak: 0.85, signature: 0.8, here: 0.8 };

function titleCase(s: string): string {
  return s === s.toLowerCase() ? s.replace(/(^|[\s'\-])(\p{Ll})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) : s;
}

/** Reads up to four name words starting at `from`; null when the words there are not a name. */
function nameAt(text: string, ws: Word[], from: number, strength: Strength): Omit<NameCandidate, keyof Candidate | 'confidence'> | null {
  const picked: Word[] = [];
  const lowerCase = !/\p{Lu}/u.test(text);
  for (let i = from; i < ws.length && picked.length < 4; i++) {
    const w = ws[i];
    if (picked.length && !/^[ \t]+$/.test(text.slice(picked[picked.length - 1].end, w.start))) break;
    const kind = w.capitalised || w.kind === 'particle' ? w.kind : lowerCase ? kindOf(titleCase(w.text)) : 'word';
    if (kind === 'particle' && picked.length) {
      picked.push(w);
      continue;
    }
    // Lower-case words count only in a message typed all in lower case ("kevin brooks"); an
    // everyday word ("and", "will") only in a direct answer to "your name?".
    if (!w.capitalised && (!lowerCase || picked.some((p) => p.capitalised))) break;
    if (!w.capitalised && kind !== 'name' && !(strength === 'answer' || strength === 'strong')) break;
    const ok = kind === 'name' || kind === 'unknown' || kind === 'initial' || (kind === 'ambiguous' && (w.capitalised || strength === 'answer'));
    if (!ok) break;
    picked.push(w);
    if (w.possessive) break;
  }
  while (picked.length && picked[picked.length - 1].kind === 'particle') picked.pop();
  if (!picked.length || picked[0].kind === 'initial') return null;
  const first = picked[0];
  // A weak cue needs a word the names lexicon knows, or a run of capitalised words: "I'm Nora".
  if (strength === 'weak' || strength === 'here') {
    if (!first.capitalised && !(lowerCase && first.kind === 'name')) return null;
    if (first.kind === 'ambiguous' && picked.length === 1 && !/^\s*(?:[.,!]|$|btw\b|here\b|and\b)/i.test(text.slice(first.end))) return null;
    if (first.kind === 'unknown' && picked.length === 1) return null;
  }
  const rest = picked.slice(1).filter((w) => w.kind !== 'initial');
  const span = (a: Word, b: Word) => ({ text: titleCase(text.slice(a.start, b.end)), start: a.start, end: b.end });
  const lastStart = rest.findIndex((w) => w.kind !== 'particle') >= 0 ? rest.length - 1 : -1;
  let lastFrom = lastStart;
  while (lastFrom > 0 && rest[lastFrom - 1].kind === 'particle') lastFrom--;
  return {
    end: picked[picked.length - 1].end,
    firstName: span(first, first),
    ...(lastStart >= 0 && rest.length ? { lastName: span(rest[lastFrom], rest[lastStart]) } : {}),
  };
}

export function findVisitorNames(messages: readonly TranscriptMessage[]): NameCandidate[] {
  const out: NameCandidate[] = [];
  messages.forEach((m, messageIndex) => {
    if (m.author !== 'visitor') return;
    const text = m.text;
    // Words inside an e-mail address ("tom.b@gmail.com") are not a name the visitor gave.
    const emails = findEmails(text);
    const ws = words(text).filter((w) => !emails.some((e) => w.start < e.end && e.start < w.end));
    const prev = messages[messageIndex - 1];
    const answering = !!prev && prev.author !== 'visitor' && ASKS_NAME.test(prev.text);
    const add = (i: number, strength: Strength) => {
      const n = nameAt(text, ws, i, strength);
      if (!n) return;
      if (out.some((o) => o.messageIndex === messageIndex && o.start === ws[i].start)) return;
      out.push({ ...n, messageIndex, start: ws[i].start, confidence: CONFIDENCE[strength], correction: correctsEarlier(text, ws[i].start), preferred: strength !== 'here' });
    };
    ws.forEach((w, i) => {
      const before = text.slice(Math.max(0, w.start - 40), w.start);
      if (OTHER_PERSON.test(before.slice(-25))) return;
      if (STRONG_CUE.test(before)) add(i, 'strong');
      else if (WEAK_CUE.test(before)) add(i, 'weak');
      else if (SIGN_OFF.test(text.slice(0, w.start)) && w.capitalised) add(i, 'signature');
      else if (i === ws.length - 1 && /(?:^|\s)[-–—~]\s?$/.test(text.slice(0, w.start)) && /^\W*$/.test(text.slice(w.end))) add(i, 'signature');
      else if (/^\s+here\b/i.test(text.slice(w.end, w.end + 6)) && w.capitalised && (i === 0 || /[-–—,.!:]\s*$|^\s*(?:hi|hello|hey)\s*[,!-]?\s*$/i.test(text.slice(0, w.start)))) add(i, 'here');
    });
    // "May I have your name?" -> "dana" / "Kevin Brooks, kbrooks@..." : the reply opens with it.
    // A reply may open with a filler: "Sure, Maria Gonzalez", "yes it's Tom".
    const filler = text.match(/^\s*(?:(?:sure|yes|yeah|yep|ok(?:ay)?|of course|hi|hello)\b[\s,!.:-]*)*(?:(?:it'?s|this is|i'?m|i am)\s+)?/i)?.[0].length ?? 0;
    const opening = ws.findIndex((w) => w.start >= filler);
    if (answering && opening >= 0 && text.slice(filler, ws[opening].start).trim() === '') {
      const n = nameAt(text, ws, opening, 'answer');
      // Only a reply that is the name, or the name then a comma/"and": not "Kevin said hi".
      if (n && /^\s*(?:$|[,.;!\n]|and\b|-)/i.test(text.slice(n.end))) {
        if (!out.some((o) => o.messageIndex === messageIndex)) {
          out.push({ ...n, messageIndex, start: ws[opening].start, confidence: CONFIDENCE.answer, correction: false, preferred: true });
        }
      }
    }
  });
  return out;
}
