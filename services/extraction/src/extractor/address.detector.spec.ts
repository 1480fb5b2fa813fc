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

  it('normalises spacing and case', () => {
    expect(normalisePostalCode('m5v2t6')).toBe('M5V 2T6');
    expect(normalisePostalCode('sw1a2aa')).toBe('SW1A 2AA');
  });
});
