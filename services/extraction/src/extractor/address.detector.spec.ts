import { findAddresses, findCuedPostalCodes } from './address.detector';
import { normalisePostalCode } from './postal-code';

describe('findAddresses', () => {
  it.each([
    ['US', 'I live at 77 Orchard Lane, San Jose, CA 95112.', '77 Orchard Lane, San Jose, CA 95112', '95112'],
    ['US', 'sure, 1409 Pine St Apt 3B, Seattle WA 98101. thanks', '1409 Pine St Apt 3B, Seattle WA 98101', '98101'],
    ['CA', 'ship to 123 Main St., Toronto, ON M5V 2T6 please', '123 Main St., Toronto, ON M5V 2T6', 'M5V 2T6'],
    ['GB', "I'm at 10 Downing Street, London SW1A 2AA", '10 Downing Street, London SW1A 2AA', 'SW1A 2AA'],
    ['AU', 'Office: 12 George St, Sydney NSW 2000', '12 George St, Sydney NSW 2000', '2000'],
    ['DE', 'Wir wohnen in der Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin', '10115'],
  ])('%s: %s', (region, text, address, postal) => {
    const [a] = findAddresses(text, region);
    expect(a.text).toBe(address);
    expect(text.slice(a.start, a.end)).toBe(address);
    expect(a.postalCode?.value).toBe(postal);
  });

  it.each([
    ['US', 'service address: 4410 Riverside Drive, Dayton, Ohio 45405', '4410 Riverside Drive, Dayton, Ohio 45405', '45405'],
    ['CA', "I'm at 2210 Rue Sherbrooke E, Montréal QC H2K 1E5, 438-555-0190", '2210 Rue Sherbrooke E, Montréal QC H2K 1E5', 'H2K 1E5'],
    ['US', '1520 w 38th st minneapolis mn 55409, 612 555 0193', '1520 w 38th st minneapolis mn 55409', '55409'],
    ['US', 'my new address is 77 Hawthorne Blvd Unit 12, Salem MA 01970', '77 Hawthorne Blvd Unit 12, Salem MA 01970', '01970'],
  ])('%s, state written out, street type first, or no capitals: %s', (region, text, address, postal) => {
    const [a] = findAddresses(text, region);
    expect(a.text).toBe(address);
    expect(a.postalCode?.value).toBe(postal);
  });

  it('needs the whole address (town, state and code) when nothing is capitalised', () => {
    expect(findAddresses('we have 2 dogs way too many', 'US')).toEqual([]);
    expect(findAddresses('go 3 blocks down the main st', 'US')).toEqual([]);
  });

  it('keeps a street without a locality', () => {
    expect(findAddresses('come to 500 W 5th Ave please', 'US')[0].text).toBe('500 W 5th Ave');
  });

  it('finds nothing in ordinary sentences with numbers', () => {
    expect(findAddresses('Does the 2019 Honda Civic still have under 40,000 miles?', 'US')).toEqual([]);
    expect(findAddresses('We need 200 branded boxes', 'US')).toEqual([]);
  });
});

describe('findCuedPostalCodes', () => {
  it('takes codes after a cue word or a message that is only a code', () => {
    expect(findCuedPostalCodes('Postcode is SW11 4NJ.', 'GB').map((c) => c.value)).toEqual(['SW11 4NJ']);
    expect(findCuedPostalCodes('my zip code is 80202', 'US').map((c) => c.value)).toEqual(['80202']);
    expect(findCuedPostalCodes(' 80202 ', 'US').map((c) => [c.value, c.cued])).toEqual([['80202', false]]);
    expect(findCuedPostalCodes('we need 80202 boxes', 'US')).toEqual([]);
  });

  it('takes a code after a state or province, and a CA or GB code in its own region', () => {
    expect(findCuedPostalCodes('I live in Fitzroy VIC 3065', 'AU').map((c) => c.value)).toEqual(['3065']);
    expect(findCuedPostalCodes('From Ottawa ON K2P 1L4. My name is Raj', 'CA').map((c) => c.value)).toEqual(['K2P 1L4']);
    expect(findCuedPostalCodes('do you deliver to LS6 2AB?', 'GB').map((c) => c.value)).toEqual(['LS6 2AB']);
    // A number after a word that is not a state stays a number.
    expect(findCuedPostalCodes('I have 3065 followers in Fitzroy', 'AU')).toEqual([]);
    expect(findCuedPostalCodes('order in 3065 units', 'AU')).toEqual([]);
  });

  it('normalises spacing and case', () => {
    expect(normalisePostalCode('m5v2t6')).toBe('M5V 2T6');
    expect(normalisePostalCode('sw1a2aa')).toBe('SW1A 2AA');
  });
});
