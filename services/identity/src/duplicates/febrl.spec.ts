import { febrlEntity, parseFebrl } from './febrl';
import { pairsCsv } from './dedupe-run';

describe('Febrl files', () => {
  it('maps rows to contacts, blanks to undefined', () => {
    const text = [
      'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id',
      'rec-1716-dup-1, isabelle, , 23, gundulu place, currin ga, utakarra, 2193, wa, 19921119, 4314184',
      '',
    ].join('\n');
    expect(parseFebrl(text)).toEqual([
      {
        id: 'rec-1716-dup-1',
        firstName: 'isabelle',
        lastName: undefined,
        emails: [],
        phones: [],
        streetNumber: '23',
        street: 'gundulu place',
        locality: 'utakarra',
        postalCode: '2193',
        state: 'wa',
        dateOfBirth: '19921119',
        nationalId: '4314184',
      },
    ]);
  });

  it('reads the person from the rec_id', () => {
    expect(febrlEntity('rec-12-org')).toBe('12');
    expect(febrlEntity('rec-12-dup-3')).toBe('12');
    expect(() => febrlEntity('12')).toThrow('not a Febrl rec_id: 12');
  });

  it('writes pairs with a header', () => {
    expect(pairsCsv([{ a: 'rec-1-org', b: 'rec-1-dup-0' }])).toBe('rec_id_a,rec_id_b\nrec-1-org,rec-1-dup-0\n');
  });
});
