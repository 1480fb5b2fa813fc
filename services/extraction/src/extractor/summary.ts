// One to three sentences on what the visitor wants, the key details and how to reach them,
// assembled from the visitor's own sentences (pronouns turned to the third person). Nothing is
// added that the visitor did not write; contact details are left to the fields.
import { ExtractedFields, QualificationSignals, TranscriptMessage } from './extraction.types';

// Visitors write in the account's language too. Recasting "ich brauche einen Termin" into an
// English frame would mix two languages in one sentence, so such sentences are quoted whole.
const ENGLISH = /\b(?:the|a|an|and|to|for|of|is|are|my|our|you|your|i|we|it|this|that|with|in|on|do|can|need|want|like|please)\b/gi;
const OTHER_LANGUAGE = /\b(?:ich|und|der|die|das|ein|eine|einen|für|mit|ist|sie|wir|bitte|je|le|la|les|un|une|des|pour|avec|est|vous|nous|mon|ma|el|los|las|una|para|con|es|usted|quiero|mi|por|que|y)\b/gi;

export function notEnglish(sentence: string): boolean {
  return (sentence.match(OTHER_LANGUAGE)?.length ?? 0) > (sentence.match(ENGLISH)?.length ?? 0);
}

// A greeting opening a quoted sentence says nothing about the request.
const LEADING_GREETING = /^(?:(?:hi|hello|hey|hiya|g'day|morning|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen|abend)|servus|bonjour|salut|hola|buenos días|buenas tardes)(?: there)?\b[\s,!.\-–]*)+/i;
// "Dr." or "St." does not end a sentence.
const ABBREVIATION = /\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Mt|Jr|Sr|Ave|Rd|No|approx|vs|etc|e\.g|i\.e)\.(?=\s)/g;

const GREETING = /^(?:hi|hello|hey|good (?:morning|afternoon|evening)|morning|guten tag|hallo|thanks|thank you|thx|ty|cheers|danke(?: schön)?|merci|gracias|ok|okay|sure|yes|no|great)\b[\s,!.\-–]*$/i;
// Self-introductions say who, not what: they stay out of the summary.
const INTRODUCTION =
  /(?:@|\b[Mm]y name\b|\b[Nn]ame's\b|^(?:[Hh]i,? |[Hh]ello,? )?(?:I'm|I am|[Ii]t's|[Tt]his is|[Ii]ch bin|[Hh]ier ist|[Jj]e suis|[Ss]oy|[Mm]e llamo|[Jj]e m'appelle) \p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?\W*$|^\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)? (?:here|hier)\W*$)/u;

// "I'd like X" -> "Visitor would like X": the verb phrase the visitor used, recast. Chat often
// drops the subject ("looking for a plumber", "need movers on June 30"), so some match without it.
const WANTS: [RegExp, string][] = [
  [/\b(?:(?:i'?d|i would|we'?d|we would) |(?:^|, |\band )would )(?:like|love) (?:to get |to have )?/i, 'Visitor would like '],
  [/\b(?:i|we) (?:want|wanna) (?:to get )?/i, 'Visitor wants '],
  [/\b(?:i|we) need /i, 'Visitor needs '],
  [/^need (?=a |an |some |to |help |movers |someone )/i, 'Visitor needs '],
  [/\blooking for /i, 'Visitor is looking for '],
  [/\blooking to /i, 'Visitor is looking to '],
  [/\b(?:(?:i'?m|i am|we'?re|we are) |^(?:\w+: )?)interested in /i, 'Visitor is interested in '],
  [/(?:\b(?:i'?m|i am|we'?re|we are) |^)after (?=a |an |some )/i, 'Visitor is after '],
  [/\b(?:could|can|would) you (?:please )?(?:send|give) (?:me |us )?/i, 'Visitor asks for '],
  [/\b(?:could|can|would) you (?:please )?quote (?:me |us )?for /i, 'Visitor asks for a quote for '],
  [/\b(?:could|can|would) you (?:please )?/i, 'Visitor asks if you can '],
  [/\b(?:can|could|may) (?:i|we) /i, 'Visitor asks if they can '],
  [/\bdo you (?:have|offer|do|install|sell|provide|carry|fix|repair|service|take)\b/i, 'Visitor asks whether you '],
  [/\bplease /i, 'Visitor asks you to '],
];

const PRONOUNS: [RegExp, string][] = [
  [/\bI'm\b/g, "they're"], [/\bI am\b/g, 'they are'], [/\bI've\b/g, "they've"], [/\bI'd\b/g, "they'd"],
  [/\bI'll\b/g, "they'll"], [/\bI was\b/g, 'they were'], [/\bI\b/g, 'they'], [/\bmy\b/gi, 'their'],
  [/\bme\b/gi, 'them'], [/\bmine\b/gi, 'theirs'], [/\bwe\b/gi, 'they'], [/\bour\b/gi, 'their'], [/\bus\b/gi, 'them'],
  [/\bi'm\b/g, "they're"], [/\bi\b/g, 'they'],
];

function thirdPerson(s: string): string {
  return PRONOUNS.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

interface Sentence { text: string; messageId: string; start: number; end: number }

function sentencesOf(messages: readonly TranscriptMessage[]): Sentence[] {
  const out: Sentence[] = [];
  for (const m of messages) {
    // Sentence ends are . ! ? followed by a space or the end ("$1,299.00" stays whole); the dots
    // of abbreviations are masked (same length, so offsets hold) before splitting.
    const masked = m.text.replace(ABBREVIATION, (a) => `${a.slice(0, -1)}\u2024`);
    for (const part of masked.matchAll(/(?:[^.!?\n]|[.!?](?=[^\s.!?]))+[.!?]*/g)) {
      const start = part.index ?? 0;
      const text = m.text.slice(start, start + part[0].length).trim().replace(/^[-–—,\s]+/, '');
      if (text.length > 2 && !GREETING.test(text)) out.push({ text, messageId: m.id, start, end: start + part[0].length });
    }
  }
  return out;
}

function finish(s: string): string {
  const t = s.trim().replace(/[\s,;:\-–]+$/, '');
  return /[.!?]$/.test(t) ? t.replace(/[!?]+$/, '.') : `${t}.`;
}

/** "Visitor would like ..." from a sentence, and where the recast words start in it. */
function wantOf(sentence: string): { text: string; from: number } | null {
  if (notEnglish(sentence)) return null;
  for (const [re, lead] of WANTS) {
    const m = sentence.match(re);
    if (!m) continue;
    const from = (m.index ?? 0) + m[0].length;
    let rest = sentence.slice(from);
    if (lead.endsWith('whether you ')) rest = m[0].replace(/^do you /i, '') + rest;
    if (!rest.trim()) continue;
    return { text: finish(lead + thirdPerson(rest.replace(/\?+$/, ''))), from };
  }
  return null;
}

const DETAIL = /\d|\b(?:sq|square|rooms?|acres?|budget|deadline|weekly|monthly|low-maintenance|mornings?|afternoons?|evenings?|weekends?|this week|next week|tomorrow|today|asap|urgent)\b/i;
const TIME_OF_DAY = /\b(?:in the )?(mornings?|afternoons?|evenings?|weekends?|after \d{1,2}(?::\d\d)?\s?(?:am|pm)?|before \d{1,2}(?::\d\d)?\s?(?:am|pm)?)\b/i;

/** `visitorMessages` only; sentences holding a captured contact detail are left out. */
export function summarise(visitorMessages: readonly TranscriptMessage[], fields: ExtractedFields, signals: QualificationSignals): string {
  const evidence = Object.values(fields).map((v) => v.evidence);
  const all = sentencesOf(visitorMessages);
  const holdsContact = (s: Sentence) => evidence.some((e) => e.messageId === s.messageId && e.start < s.end && s.start < e.end);
  // A name may stay in a quote ("ich bin Lena Schneider und interessiere mich für eine Beratung");
  // a phone, e-mail or address may not.
  const reachEvidence = Object.entries(fields).filter(([f]) => f !== 'firstName' && f !== 'lastName').map(([, v]) => v.evidence);
  const holdsReach = (s: Sentence) => reachEvidence.some((e) => e.messageId === s.messageId && e.start < s.end && s.start < e.end);
  const out: string[] = [];
  let wantFrom = -1;
  for (const s of all) {
    // "I'm Grace Liu and I'd like to schedule a cleaning": the want may share a sentence with
    // contact details; it is cut before the first detail that follows the verb. A greeting in
    // front ("Hi, need movers") is dropped first.
    const lead = s.text.match(LEADING_GREETING)?.[0].length ?? 0;
    const body = s.text.slice(lead);
    const first = wantOf(body);
    if (!first) continue;
    const offset = lead + s.start + (visitorMessages.find((m) => m.id === s.messageId)?.text.slice(s.start).indexOf(s.text) ?? 0);
    const cuts = evidence.filter((e) => e.messageId === s.messageId && e.start - offset >= first.from && e.start < s.end).map((e) => e.start - offset);
    // Any other number or address (a business line the visitor quotes) is cut off as well.
    const other = body.slice(first.from).search(/[+(]?\d[\d\s().\-]{6,}\d|\S+@\S+/);
    if (other >= 0) cuts.push(first.from + other);
    // What is left must not dangle: "deliver to [address]" -> "deliver", "account number [n]" -> "".
    const text = cuts.length
      ? body.slice(0, Math.min(...cuts)).replace(/[\s,;:\-–#]*(?:\b(?:is|at|on|and|or|but|my|our|to|from|in|for|with|via|under|number|no|account|order|ref|reference|me|us)\b[\s,;:\-–#]*)*$/i, '')
      : body;
    const want = wantOf(text);
    if (!want || want.from >= text.length - 2) continue;
    out.push(want.text);
    wantFrom = all.indexOf(s);
    break;
  }
  const wantSentence = all[wantFrom];
  // Quotes and details leave out anything holding a number or address of anyone.
  const sentences = all
    .filter((s) => s !== wantSentence && !holdsReach(s) && !INTRODUCTION.test(s.text.replace(LEADING_GREETING, '')) && !/@|\d{3}[\s.\-)]*\d{3}[\s.\-]*\d{4}/.test(s.text))
    .sort((a, b) => Number(holdsContact(a)) - Number(holdsContact(b)))
    .map((s) => s.text);
  if (wantFrom < 0 && sentences.length) {
    const quoted = (sentences.shift() ?? '').replace(LEADING_GREETING, '');
    if (quoted) out.push(quoted.endsWith('?') ? `Visitor asks: "${quoted}"` : `Visitor says: "${quoted.replace(/[.!]+$/, '')}."`);
  }
  const detail = sentences.find((s) => DETAIL.test(s) && !TIME_OF_DAY.test(s) && s.split(/\s+/).length >= 3);
  if (detail) {
    const d = thirdPerson(detail);
    out.push(finish(/^they\b/i.test(d) ? `They${d.slice(4)}` : `They mention: ${d}`));
  }
  // "Good afternoon," greets; it does not say when to call.
  const found = all.map((s) => s.text.replace(LEADING_GREETING, '')).join(' ').match(TIME_OF_DAY)?.[1]?.toLowerCase();
  const when = found ? (/^(?:after|before)\s/.test(found) ? ` ${found}` : ` in the ${found}`) : '';
  if (signals.preferredContact) {
    const by = { phone: 'by phone', email: 'by email', sms: 'by text message' }[signals.preferredContact];
    out.push(`Prefers to be contacted ${by}${when}.`);
  } else if (when) out.push(`Available${when}.`);
  if (!out.length) return evidence.length ? 'Visitor shared contact details only.' : 'Visitor did not say what they need.';
  return out.slice(0, 3).join(' ');
}
