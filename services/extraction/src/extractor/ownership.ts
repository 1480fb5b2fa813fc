// Whose contact detail is this? "my wife's number is X, mine is Y": the words nearest the value
// decide, then the rest of its clause. Used for phones and e-mails alike.
import { clauseAround } from './text-window';

export type Owner = 'visitor' | 'someone-else' | 'unknown';

// Someone other than the visitor...
const PEOPLE =
  'friend|wife|husband|spouse|partner|girlfriend|boyfriend|fianc[ée]e?|mom|mum|mother|dad|father|parent|son|daughter|kid|child|brother|sister|aunt|uncle|cousin|grandma|grandpa|boss|colleague|co-?worker|neighbou?r|landlord|tenant|assistant|secretary|his|her|their';
const OTHER_PEOPLE = new RegExp(`\\b(?:${PEOPLE})\\b`, 'i');
// ...or the business itself ("our main line", "the office").
const OTHER = new RegExp(`\\b(?:${PEOPLE}|our|company|business|office|store|shop|front desk|reception|main line|switchboard|hotline|toll[- ]free)\\b`, 'i');
// German, Spanish and French possessives too: the regions we serve write them.
const VISITOR = /\b(?:my|me|mine|i'm|i am|i'll|myself|meine?|mi|mis|mon|ich)\b/i;
const VISITOR_STRONG = /\b(?:mine|my\s+(?:own|direct|personal|cell|mobile|number|phone|email|e-mail|address|work|home)(?:\s+\w+)?)\b/i;

/**
 * For places: "our shop is at 1800 Commerce Dr" is where the visitor's own business is, the
 * place the work is for; only another person's address ("my mom's house at ...") is not theirs.
 */
export function whosePlace(text: string, start: number, end: number): Owner {
  return whose(text, start, end, OTHER_PEOPLE);
}

export function whose(text: string, start: number, end: number, other: RegExp = OTHER): Owner {
  const { before, after } = clauseAround(text, start, end);
  const near = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf(' or ')) + 1);
  const nearAfter = after.split(/[,(]/)[0] ?? '';
  const judge = (words: string): Owner => {
    if (VISITOR_STRONG.test(words) && !/\bmy\s+\w+'s\b/i.test(words)) return 'visitor';
    if (other.test(words)) return 'someone-else';
    if (VISITOR.test(words)) return 'visitor';
    return 'unknown';
  };
  for (const words of [near, nearAfter]) {
    const owner = judge(words);
    if (owner !== 'unknown') return owner;
  }
  // Farther away, a word about someone else only counts when nothing there speaks of the
  // visitor: "I'm the office manager, Patricia Gomez, pgomez@..." is still the visitor's.
  const clause = before + after;
  for (const words of [before.slice(-60), after.slice(0, 40)]) {
    const owner = judge(words);
    if (owner === 'visitor' || (owner === 'someone-else' && !VISITOR.test(clause))) return owner;
  }
  return 'unknown';
}
