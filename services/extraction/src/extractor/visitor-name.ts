// The visitor's own name: only when they introduce themself ("my name is", "I'm", "it's Dana
// btw", "Rebecca here", a signature) or answer a request for their name. A name the visitor
// mentions otherwise (the assistant's, a friend's) is not theirs.
import { Candidate, correctsEarlier, finalCandidate } from './corrections';
import { EmailMention, findEmails } from './email.detector';
import { TranscriptMessage } from './extraction.types';
import { kindOf, Word, words } from './name-tokens';

export interface NameCandidate extends Candidate {
  end: number;
  firstName: { text: string; start: number; end: number };
  lastName?: { text: string; start: number; end: number };
  confidence: number;
}

// A title between the introduction and the name: "I'm Dr Samuel Adeyemi", "regards,\nDr. Amelia Hart".
const TITLE = String.raw`(?:(?:dr|mr|mrs|ms|miss|mx|prof|rev|fr|father|pastor|herr|frau|sr|sra|mme|mlle)\.?\s+)?`;
// Introductions that say outright a name follows.
const STRONG_CUE = new RegExp(
  String.raw`(?:\bmy\s+(?:full\s+|first\s+)?name\s+is|\bmy\s+name's|\bname's|\bname\s+is|\bname:|\bcall\s+me|\bi\s+go\s+by|\bmein\s+name\s+ist|\bich\s+heiße|\bje\s+m'appelle|\bme\s+llamo|\bmi\s+nombre\s+es|\bsigned|\bit's\s+under|\bunder\s+the\s+name)\s*[,:]?\s*${TITLE}$`,
  'i',
);
// Introductions that may also precede other words: "I'm interested", "it's broken". German,
// French and Spanish ones too ("hier ist", "c'est", "habla"): the regions we serve write them.
const WEAK_CUE = new RegExp(
  String.raw`(?:\bi'?m|\bi\s+am|\bthis\s+is|\bit'?s|\bich\s+bin|\bhier\s+ist|\bhier\s+spricht|\bsoy|\bhabla|\bje\s+suis|\bc'est|\bhere\s+is|\bhere's)\s*[,:]?\s*${TITLE}$`,
  'i',
);
const OTHER_PERSON = /\b(?:his|her|their|wife|husband|partner|friend|son|daughter|mom|mum|mother|dad|father|boss|kid|child|brother|sister)(?:'s)?\s+(?:full\s+)?name/i;
// "I'm her son, Alan Fields", "I'm the office manager, Patricia Gomez": a role, then the name.
const ROLE_CUE = new RegExp(String.raw`(?:\bi'?m|\bi\s+am|\bthis\s+is)\s+(?:the|a|an|her|his|their|your)\s+(?:[\p{L}\-]+\s+){0,2}[\p{L}\-]+\s*,\s*${TITLE}$`, 'iu');
// A sign-off on the message's last line, then the name: "Thanks, Ray", "Viele Grüße, Anna Schmidt".
const INLINE_SIGN_OFF = new RegExp(
  String.raw`(?:^|[\s.!,])(?:thanks|thank you|many thanks|regards|best regards|kind regards|cheers|sincerely|mit freundlichen grüßen|viele grüße|liebe grüße|gruß|saludos|cordialement|merci)\s*[,!.]?\s+${TITLE}$`,
  'i',
);
// Words that make a message German, where "im" means "in the", not a typed "I'm".
const GERMAN = /\b(?:ich|und|wir|für|eine[mnrs]?|nicht|ist|mit|der|die|das|bitte|danke|sie)\b/i;
const SIGN_OFF = new RegExp(
  String.raw`(?:^|\n)\s*(?:thanks|thank you|many thanks|regards|best regards|kind regards|best|cheers|sincerely|warmly|mit freundlichen grüßen|viele grüße|gruß|--|—|-)\s*[,!.]?\s*\n\s*${TITLE}$`,
  'i',
);
// "May I have your name?", "Name and number?", "Wie ist Ihr Name?", "¿Cómo se llama?"
const ASKS_NAME =
  /\b(?:your (?:[\w ]{0,24} )?name|who (?:am i|i'm) (?:speaking|chatting|talking) (?:to|with)|who is this|name (?:please|for the)|names?\s*(?:and|&|\+|,)\s*(?:your\s+)?(?:\w+\s+)?(?:number|phone|e-?mail|address|contact)|what should (?:i|we) call you|how (?:should|may|can) (?:i|we) address you|wie heißen sie|ihr name|vous appelez|se llama|su nombre)\b|^\s*(?:and\s+)?(?:your\s+)?name\s*\?/im;

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
  // "I'm John's wife": the name of someone the visitor belongs to, not theirs.
  if (picked[picked.length - 1].possessive) return null;
  const first = picked[0];
  // A weak cue needs a word the names lexicon knows, or a run of capitalised words: "I'm Nora".
  if (strength === 'weak' || strength === 'here') {
    if (!first.capitalised && !(lowerCase && first.kind === 'name')) return null;
    const after = text.slice(first.end);
    // "it's Ngozi from the open house": a name followed by where the person comes from.
    const introducedFrom = /^\s+(?:from|von|de|aus)\s/i.test(after);
    if (first.kind === 'ambiguous' && picked.length === 1 && !introducedFrom && !/^\s*(?:[.,!]|$|btw\b|here\b|and\b)/i.test(after)) return null;
    if (first.kind === 'unknown' && picked.length === 1 && !introducedFrom) return null;
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

// "Rebecca here", "Tobias hier", "Jennifer from Acme Corp here".
const HERE = /^\s+(?:from\s+(?:[\p{L}\p{N}&'’.\-]+\s+){1,4})?(?:here|hier|aquí|ici)(?![\p{L}])/iu;

/** A name that runs to the end of the message: "- Hector Gonzalez", "Thanks, Ray". */
function nameEndsMessage(text: string, ws: Word[], i: number): boolean {
  const n = nameAt(text, ws, i, 'signature');
  return !!n && /^[\s.!]*$/.test(text.slice(n.end));
}

/**
 * "... email me: sophie.w@gmail.com. Sophie Walsh": a first and last name standing alone as the
 * message's last sentence signs it. Both words must read as names, so "Happy Holidays" does not.
 */
function endsWithFullName(text: string, ws: Word[], i: number): boolean {
  const n = nameAt(text, ws, i, 'signature');
  if (!n?.lastName || !/^[\s.!]*$/.test(text.slice(n.end))) return false;
  const used = ws.filter((w) => w.start >= n.firstName.start && w.end <= n.end);
  return used.length >= 2 && used.length <= 3 && used.every((w) => w.kind === 'name' || w.kind === 'unknown' || w.kind === 'particle');
}

/** `emailsOf(i)`: the e-mail addresses in message i, when the caller has found them already. */
export function findVisitorNames(
  messages: readonly TranscriptMessage[],
  emailsOf: (messageIndex: number) => readonly EmailMention[] = (i) => findEmails(messages[i].text),
): NameCandidate[] {
  const out: NameCandidate[] = [];
  messages.forEach((m, messageIndex) => {
    if (m.author !== 'visitor') return;
    const text = m.text;
    // Words inside an e-mail address ("tom.b@gmail.com") are not a name the visitor gave.
    const emails = emailsOf(messageIndex);
    const ws = words(text).filter((w) => !emails.some((e) => w.start < e.end && e.start < w.end));
    const prev = messages[messageIndex - 1];
    const answering = !!prev && prev.author !== 'visitor' && ASKS_NAME.test(prev.text);
    const add = (i: number, strength: Strength) => {
      const n = nameAt(text, ws, i, strength);
      if (!n) return;
      if (out.some((o) => o.messageIndex === messageIndex && o.start === ws[i].start)) return;
      out.push({ ...n, messageIndex, start: ws[i].start, confidence: CONFIDENCE[strength], correction: correctsEarlier(text, ws[i].start), preferred: strength !== 'here' });
    };
    const german = GERMAN.test(text);
    ws.forEach((w, i) => {
      const before = text.slice(Math.max(0, w.start - 40), w.start);
      const head = text.slice(0, w.start);
      if (OTHER_PERSON.test(before.slice(-25))) return;
      if (STRONG_CUE.test(before)) add(i, 'strong');
      else if (WEAK_CUE.test(before) && !(german && /\bim\s*$/i.test(before))) add(i, 'weak');
      else if (ROLE_CUE.test(before) && w.capitalised) add(i, 'weak');
      else if (SIGN_OFF.test(head) && w.capitalised) add(i, 'signature');
      else if (w.capitalised && (/(?:^|\s)[-–—~]\s?$/.test(head) || INLINE_SIGN_OFF.test(before)) && nameEndsMessage(text, ws, i)) add(i, 'signature');
      else if (w.capitalised && /(?:[.!?]\s+|\n\s*)$/.test(head) && endsWithFullName(text, ws, i)) add(i, 'signature');
      else if (HERE.test(text.slice(w.end, w.end + 60)) && w.capitalised && (i === 0 || /[-–—,.!:]\s*$|^\s*(?:hi|hello|hey)\s*[,!-]?\s*$/i.test(head))) add(i, 'here');
    });
    // "May I have your name?" -> "dana" / "Kevin Brooks, kbrooks@..." : the reply opens with it.
    // A reply may open with a filler: "Sure, Maria Gonzalez", "yes it's Tom".
    const filler = text.match(/^\s*(?:(?:sure|yes|yeah|yep|ok(?:ay)?|of course|hi|hello)\b[\s,!.:-]*)*(?:(?:it'?s|this is|i'?m|i am)\s+)?/i)?.[0].length ?? 0;
    const opening = ws.findIndex((w) => w.start >= filler);
    if (answering && opening >= 0 && text.slice(filler, ws[opening].start).trim() === '') {
      const n = nameAt(text, ws, opening, 'answer');
      // Only a reply that is the name, or the name then a comma/"and": not "Kevin said hi".
      // ...or the name then the contact details asked for with it: "Fatima Al-Sayed 347-555-0155".
      if (n && /^\s*(?:$|[,.;!\n]|and\b|-)|^\s+(?:[+(]?\d|\S+@)/i.test(text.slice(n.end))) {
        if (!out.some((o) => o.messageIndex === messageIndex)) {
          out.push({ ...n, messageIndex, start: ws[opening].start, confidence: CONFIDENCE.answer, correction: false, preferred: true });
        }
      }
    }
  });
  return out;
}

/** Did the business side say this name first (the assistant's or agent's own name)? */
function businessSaidFirst(messages: readonly TranscriptMessage[], name: string): boolean {
  const re = new RegExp(`(?<![\\p{L}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu');
  const first = messages.find((m) => re.test(m.text));
  return !!first && first.author !== 'visitor';
}

/**
 * "I'm Sean. Sean MacLeod.", "it's Dwayne. Dwayne Jackson.": the visitor restates their first
 * name with a surname. The fuller statement is the same person, so it completes the name.
 */
function withSurname(messages: readonly TranscriptMessage[], name: NameCandidate): NameCandidate {
  if (name.lastName) return name;
  const first = name.firstName.text.toLowerCase();
  for (let messageIndex = 0; messageIndex < messages.length; messageIndex++) {
    const m = messages[messageIndex];
    if (m.author !== 'visitor' || !m.text.toLowerCase().includes(first)) continue;
    const ws = words(m.text);
    for (let i = 0; i < ws.length; i++) {
      if (ws[i].text.toLowerCase() !== first || OTHER_PERSON.test(m.text.slice(Math.max(0, ws[i].start - 25), ws[i].start))) continue;
      const n = nameAt(m.text, ws, i, 'weak');
      if (n?.lastName) return { ...name, ...n, messageIndex, start: ws[i].start };
    }
  }
  return name;
}

/** The name the visitor finally stands by, completed by a later restatement, or undefined. */
export function visitorName(messages: readonly TranscriptMessage[], emailsOf?: (messageIndex: number) => readonly EmailMention[]): NameCandidate | undefined {
  const candidates = findVisitorNames(messages, emailsOf).filter((c) => c.confidence >= CONFIDENCE.strong || !businessSaidFirst(messages, c.firstName.text));
  const picked = finalCandidate(candidates);
  return picked && withSurname(messages, picked);
}
