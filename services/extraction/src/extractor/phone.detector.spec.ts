import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPhones, phoneShaped, toE164 } from './phone.detector';

describe('findPhones', () => {
  it('captures possible numbers in E.164 with the default region', () => {
    expect(findPhones('You can reach me at 555-123-4567', 'US').map((p) => p.e164)).toEqual(['+15551234567']);
    expect(findPhones('Meine Nummer: 030 901820', 'DE')[0].e164).toBe('+4930901820');
    expect(findPhones("I'm Oliver, 020 7946 0958 or email", 'GB')[0].e164).toBe('+442079460958');
    expect(findPhones('direct is +1 (720) 555-0121.', 'GB')[0].e164).toBe('+17205550121');
  });

  it('gives the character span of the number as written', () => {
    const text = 'Thanks,\nRaj\n(480) 555-0172';
    const [p] = findPhones(text, 'US');
    expect(text.slice(p.start, p.end)).toBe('(480) 555-0172');
  });

  it('tells whose number it is from the words around it', () => {
    const [wife, mine] = findPhones("my wife's number is 303-555-0111, mine is 303-555-0122", 'US');
    expect(wife.owner).toBe('someone-else');
    expect(mine.owner).toBe('visitor');
    const [main, direct] = findPhones('1-800-555-0199 is our main line but my direct is 720-555-0121', 'US');
    expect(main.owner).toBe('someone-else');
    expect(direct.owner).toBe('visitor');
  });

  it('ignores order numbers, prices, dates, card numbers and IP addresses', () => {
    for (const text of [
      'Ticket 20231115-8842 still unresolved',
      'Order #5551234567 is late',
      'It costs $1,250,000',
      'born 1971-09-07 12:30:00',
      'card 4111111111111111',
      'client_ip 106.31.73.20',
      "my driver's license number is 2270-66-1551",
    ]) expect(findPhones(text, 'US')).toEqual([]);
  });

  it('ignores order and customer numbers named in German, French and Spanish', () => {
    const de = findPhones('Meine Bestellnummer ist 40028922 und bitte rufen Sie mich zurück unter +49 89 12345678.', 'DE');
    expect(de.map((p) => p.e164)).toEqual(['+498912345678']);
    expect(findPhones('Kundennummer: 0301234567', 'DE')).toEqual([]);
    expect(findPhones('numéro de commande 5141234567', 'CA')).toEqual([]);
    expect(findPhones('número de pedido 3055550147', 'US')).toEqual([]);
  });

  it('does not take the end of a word for a reference ("teléfono es")', () => {
    expect(findPhones('mi teléfono es 305-555-0147', 'US').map((p) => p.e164)).toEqual(['+13055550147']);
  });
});

describe('phoneShaped / toE164', () => {
  it('rejects SSN-shaped and too-short digit runs, accepts grouped numbers', () => {
    expect(phoneShaped('123-45-6789')).toBe(false);
    expect(phoneShaped('12 34')).toBe(false);
    expect(phoneShaped('0490 75 40 81')).toBe(true);
  });

  it('agrees with libphonenumber examples for every region (../shared/eval/libphonenumber)', () => {
    const csv = readFileSync(join(__dirname, '../../../../../shared/eval/libphonenumber/examples_all.csv'), 'utf8').trim().split(/\r?\n/);
    const header = csv[0].split(',');
    const col = (name: string) => header.indexOf(name);
    let right = 0;
    let total = 0;
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      const region = cells[col('region')];
      const national = cells[col('national_number')];
      const e164 = cells[col('e164')];
      // "001" rows are non-geographic services (+800, +870...): nobody dials them nationally.
      if (!region || region === '001' || !national || !e164) continue;
      total++;
      if (toE164(national, region) === e164) right++;
    }
    expect(total).toBeGreaterThan(1000);
    expect(right / total).toBeGreaterThan(0.99);
  });
});
