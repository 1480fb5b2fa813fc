/**
 * A generated CRM account for the dedupe bench: people with names, e-mails, phones and
 * addresses, a share of them entered again with the mistakes real duplicates carry (typos,
 * nicknames, swapped names, dotted or +tagged e-mails, phones typed another way, transposed
 * birth dates, missing fields). Ids are "p<person>-<copy>", so the truth is known.
 */
import type { DuplicateCandidate } from '../../../services/identity/src/duplicates/duplicate-candidate';
import { seededRandom } from '../../../services/identity/src/duplicates/estimate-model';
import { normalizePhone } from '../../../services/identity/src/duplicates/normalize';

const FIRST_NAMES = (
  'james robert john michael william david richard joseph thomas charles christopher daniel matthew anthony ' +
  'mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan ' +
  'jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander ' +
  'patrick frank raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ' +
  'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ' +
  'ashley kimberley emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura ' +
  'cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine ' +
  'debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly ' +
  'lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara ' +
  'madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle'
).split(' ');

const NICKNAME_OF: Record<string, string> = {
  robert: 'bob', william: 'bill', richard: 'dick', james: 'jim', michael: 'mike', thomas: 'tom',
  elizabeth: 'liz', margaret: 'peggy', katherine: 'kate', jennifer: 'jen', christopher: 'chris',
  daniel: 'dan', matthew: 'matt', anthony: 'tony', joseph: 'joe', edward: 'ted', samuel: 'sam',
  rebecca: 'becky', patricia: 'pat', deborah: 'debbie', alexander: 'alex', benjamin: 'ben',
};

const SYLLABLES = 'ab al an ar ba be bo ca ch da de do el en er fa fi ga go ha he hi ja jo ka ke ki la le li lo ma me mi mo na ne no or pa pe po ra re ri ro sa se si so ta te ti to va ve wa we wi ya'.split(' ');
const STREET_TYPES = ['street', 'road', 'avenue', 'place', 'crescent', 'close', 'drive', 'lane'];
const STATES = ['nsw', 'vic', 'qld', 'wa', 'sa', 'tas', 'act', 'nt'];
const DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'bigpond.com'];

export interface SyntheticAccount {
  contacts: DuplicateCandidate[];
  /** The person a contact id stands for. */
  personOf(id: string): string;
}

export function generateAccount(people: number, duplicateShare = 0.1, seed = 7): SyntheticAccount {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const word = (syllables: number): string => Array.from({ length: syllables }, () => pick(SYLLABLES)).join('');

  // A few thousand surnames and localities, so that name frequencies look like a real account's.
  const lastNames = Array.from({ length: 4000 }, () => word(2 + Math.floor(random() * 2)));
  const localities = Array.from({ length: 600 }, () => ({ name: word(3), postalCode: String(1000 + Math.floor(random() * 8999)), state: pick(STATES) }));

  // A mailbox belongs to one person: two namesakes never share one (nor its dotless twin).
  const mailboxesTaken = new Set<string>();
  const uniqueEmail = (local: string): string => {
    let candidate = local;
    while (mailboxesTaken.has(candidate.replace(/\./g, ''))) candidate = local + digits(3);
    mailboxesTaken.add(candidate.replace(/\./g, ''));
    return `${candidate}@${pick(DOMAINS)}`;
  };

  const contacts: DuplicateCandidate[] = [];
  for (let p = 0; p < people; p++) {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(lastNames);
    const place = pick(localities);
    const year = 1940 + Math.floor(random() * 65);
    const original: DuplicateCandidate = {
      id: `p${p}-0`,
      firstName,
      lastName,
      emails: chance(0.8) ? [uniqueEmail(`${firstName}${chance(0.5) ? '.' : ''}${lastName}${chance(0.4) ? digits(2) : ''}`)] : [],
      phones: chance(0.7) ? [`+614${digits(8)}`] : [],
      streetNumber: String(1 + Math.floor(random() * 300)),
      street: `${word(2)} ${pick(STREET_TYPES)}`,
      locality: place.name,
      postalCode: place.postalCode,
      state: place.state,
      dateOfBirth: chance(0.5) ? `${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` : undefined,
      nationalId: chance(0.2) ? digits(9) : undefined,
    };
    contacts.push(original);
    if (!chance(duplicateShare)) continue;
    const copies = chance(0.7) ? 1 : 2;
    for (let k = 1; k <= copies; k++) contacts.push(mutate(original, `p${p}-${k}`));
  }

  function typo(value: string): string {
    const i = Math.floor(random() * value.length);
    switch (Math.floor(random() * 4)) {
      case 0:
        return value.slice(0, i) + value.slice(i + 1); // deleted letter
      case 1:
        return value.slice(0, i) + pick(SYLLABLES)[0] + value.slice(i); // inserted letter
      case 2:
        return value.slice(0, i) + pick(SYLLABLES)[1] + value.slice(i + 1); // wrong letter
      default:
        return i + 1 < value.length ? value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2) : value; // swapped letters
    }
  }

  /** A phone as people type it, back through the normaliser the service uses. */
  function retype(e164: string): string {
    const national = '0' + e164.slice(3);
    const typed = pick([`${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`, `(${national.slice(0, 2)}) ${national.slice(2)}`, `+61 ${e164.slice(3)}`]);
    return normalizePhone(typed, 'AU') ?? e164;
  }

  function mutate(o: DuplicateCandidate, id: string): DuplicateCandidate {
    const d: DuplicateCandidate = { ...o, id, emails: [...o.emails], phones: o.phones.map(retype) };
    const changes = 1 + Math.floor(random() * 3);
    for (let c = 0; c < changes; c++) {
      switch (Math.floor(random() * 10)) {
        case 0:
          d.firstName = d.firstName && typo(d.firstName);
          break;
        case 1:
          d.lastName = d.lastName && typo(d.lastName);
          break;
        case 2:
          d.firstName = (d.firstName && NICKNAME_OF[d.firstName]) ?? d.firstName;
          break;
        case 3:
          [d.firstName, d.lastName] = [d.lastName, d.firstName];
          break;
        case 4:
          d.emails = d.emails.map((e) => (e.includes('.') && e.indexOf('.') < e.indexOf('@') ? e.replace('.', '') : e.replace('@', '+web@')));
          break;
        case 5:
          d.emails = chance(0.5) ? [] : [uniqueEmail(`${d.firstName}${digits(3)}`)];
          break;
        case 6:
          d.phones = chance(0.5) ? [] : [`+614${digits(8)}`];
          break;
        case 7:
          d.dateOfBirth = d.dateOfBirth && typo(d.dateOfBirth).padEnd(8, '0');
          break;
        case 8:
          d.street = d.street && typo(d.street);
          break;
        default: {
          const place = pick(localities); // moved house
          d.locality = place.name;
          d.postalCode = place.postalCode;
          d.streetNumber = String(1 + Math.floor(random() * 300));
        }
      }
    }
    return d;
  }

  return { contacts, personOf: (id) => id.slice(0, id.indexOf('-')) };
}
