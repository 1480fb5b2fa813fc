import {
  compareByEdits,
  compareDatesOfBirth,
  compareEmails,
  compareFirstNames,
  compareLastNames,
  compareNames,
  comparePair,
  comparePhones,
  comparePlaces,
  compareText,
} from './comparators';
import { FIELD_COUNT, FIELD_INDEX, FIELD_LEVELS, MISSING, type FieldName } from './comparison-fields';
import { mailboxParts, type MailboxParts } from './normalize';
import { prepareCandidate } from './prepared-candidate';
import { contact } from './test-contacts';

const levelName = (field: FieldName, level: number): string => (level === MISSING ? 'missing' : FIELD_LEVELS[field][level].level);
const boxes = (...emails: string[]): MailboxParts[] => emails.map((e) => mailboxParts(e) as MailboxParts);

describe('first and last names', () => {
  it.each([
    ['robert', 'robert', 'exact'],
    ['bob', 'robert', 'nickname'],
    ['liz', 'beth', 'nickname'],
    ['jhon', 'john', 'typo'],
    ['natahn', 'nathan', 'typo'],
    ['mitchell', 'michel', 'typo'],
    ['catherine', 'kathryn', 'nickname'],
    ['jasmin', 'jasmyn', 'typo'],
    ['jasmine', 'jasmyn', 'similar'],
    ['harley', 'harvey', 'typo'],
    ['robert', 'susan', 'different'],
    ['', 'susan', 'missing'],
  ])('first name %s ~ %s is %s', (a, b, expected) => {
    expect(levelName('firstName', compareFirstNames(a, b))).toBe(expected);
  });

  it('has no nickname level for last names', () => {
    expect(levelName('lastName', compareLastNames('bob', 'robert'))).toBe('different');
    expect(levelName('lastName', compareLastNames('simmomnds', 'simmonds'))).toBe('typo');
  });

  it('reads names crosswise when first and last were swapped', () => {
    const out = new Int8Array(FIELD_COUNT);
    const swapped = compareNames(
      prepareCandidate(contact('a', { firstName: 'Challenor', lastName: 'Nathqn' })),
      prepareCandidate(contact('b', { firstName: 'Nathan', lastName: 'Challenor' })),
      out,
      0,
    );
    expect(swapped).toBe(true);
    expect(levelName('firstName', out[FIELD_INDEX.firstName])).toBe('exact');
    expect(levelName('lastName', out[FIELD_INDEX.lastName])).toBe('typo');
  });

  it('keeps the straight reading when it is as good', () => {
    const out = new Int8Array(FIELD_COUNT);
    const a = prepareCandidate(contact('a', { firstName: 'Ryan', lastName: 'Ryan' }));
    expect(compareNames(a, a, out, 0)).toBe(false);
  });
});

describe('dates of birth and identifiers', () => {
  it.each([
    ['19560409', '19560409', 'exact'],
    ['19560409', '19650409', 'one digit'], // transposed
    ['19560409', '19560408', 'one digit'],
    ['19560304', '19560403', 'one digit'], // day and month swapped
    ['19560409', '19570419', 'two digits'],
    ['19560409', '19821130', 'different'],
    ['', '19821130', 'missing'],
  ])('%s ~ %s is %s', (a, b, expected) => {
    expect(levelName('dateOfBirth', compareDatesOfBirth(a, b))).toBe(expected);
  });

  it('grades ids and postal codes by edits', () => {
    expect(levelName('nationalId', compareByEdits('2692439', '2694239', 2))).toBe('one digit');
    expect(levelName('nationalId', compareByEdits('1234567', '1243576', 2))).toBe('two digits');
    expect(levelName('nationalId', compareByEdits('1234567', '7654321', 2))).toBe('different');
    expect(levelName('nationalId', compareByEdits('1233821', '1233871', 2))).toBe('one digit');
    expect(compareByEdits('5109', '5190', 1)).toBe(1);
    expect(compareByEdits('5109', '5901', 1)).toBe(2);
  });

  it('grades free text by Jaro-Winkler', () => {
    expect(levelName('street', compareText('studleystreet', 'studleysteet'))).toBe('typo');
    expect(levelName('street', compareText('studleystreet', 'wallabyplace'))).toBe('different');
  });
});

describe('places', () => {
  const place = (postalCode: string, locality: string, state = '') => ({ postalCode, locality, state });
  it.each([
    [place('2000', 'sydney'), place('2000', 'sydney'), 'same postal code and locality'],
    [place('2000', 'sydney'), place('2000', 'sydnye'), 'same postal code'],
    [place('2000', ''), place('2000', 'sydney'), 'same postal code'],
    [place('2000', 'sydney'), place('2010', 'sydney'), 'same locality'],
    [place('2000', 'sydney'), place('2001', 'parramatta'), 'near'],
    [place('2000', 'sydney', 'nsw'), place('2750', 'penrith', 'nsw'), 'same state only'],
    [place('2000', 'sydney', 'nsw'), place('6543', 'perth', 'wa'), 'different'],
    [place('', '', 'nsw'), place('6000', 'perth', ''), 'missing'],
  ])('%j ~ %j is %s', (a, b, expected) => {
    expect(levelName('place', comparePlaces(a, b))).toBe(expected);
  });
});

describe('emails and phones', () => {
  it.each([
    [['john.doe@gmail.com'], ['john.doe@gmail.com'], 'exact'],
    [['john.doe@gmail.com'], ['johndoe@gmail.com'], 'same mailbox'],
    [['johndoe+crm@gmail.com'], ['johndoe@googlemail.com'], 'same mailbox'],
    [['john.doe@gmail.com'], ['johndoe@yahoo.com'], 'same local part'],
    [['jane@acme.com', 'jd@gmail.com'], ['j.d@gmail.com'], 'same mailbox'],
    [['john@acme.com'], ['jane@acme.com'], 'different'],
    [[], ['jane@acme.com'], 'missing'],
  ])('%j ~ %j is %s', (a, b, expected) => {
    expect(levelName('email', compareEmails(boxes(...a), boxes(...b)))).toBe(expected);
  });

  it('matches phones exactly or by subscriber number', () => {
    expect(levelName('phone', comparePhones(['61412345678'], ['61412345678']))).toBe('exact');
    expect(levelName('phone', comparePhones(['61412345678'], ['4412345678']))).toBe('same subscriber number');
    expect(levelName('phone', comparePhones(['61412345678'], ['61499999999']))).toBe('different');
    expect(comparePhones([], ['61412345678'])).toBe(MISSING);
  });
});

describe('comparePair', () => {
  it('writes one level per field, missing where either side is blank', () => {
    const out = new Int8Array(FIELD_COUNT);
    comparePair(
      prepareCandidate(contact('a', { firstName: 'Bob', lastName: 'Smith', postalCode: '2000', phones: ['+61412345678'] })),
      prepareCandidate(contact('b', { firstName: 'Robert', lastName: 'Smith', postalCode: '2000', phones: ['+61 412 345 678'] })),
      out,
    );
    expect(levelName('firstName', out[FIELD_INDEX.firstName])).toBe('nickname');
    expect(levelName('phone', out[FIELD_INDEX.phone])).toBe('exact');
    expect(levelName('place', out[FIELD_INDEX.place])).toBe('same postal code');
    expect(out[FIELD_INDEX.email]).toBe(MISSING);
    expect(out[FIELD_INDEX.dateOfBirth]).toBe(MISSING);
  });
});
