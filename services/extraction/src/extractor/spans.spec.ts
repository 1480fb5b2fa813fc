import { findLooseAddresses } from './address-block';
import { detectSpans } from './spans';

const typed = (text: string) => detectSpans(text, 'US').map((s) => [s.type, s.text]);

describe('detectSpans', () => {
  it('finds every kind of mention, not only the visitor\'s own', () => {
    expect(typed("Please have the manager call me at 780-999-2181, I'd like to join accounts with ms. Quinzia")).toEqual([
      ['PHONE_NUMBER', '780-999-2181'],
      ['PERSON', 'Quinzia'],
    ]);
    expect(typed('Could you send it to jane.doe@example.org? My zip code is 35350')).toEqual([
      ['EMAIL_ADDRESS', 'jane.doe@example.org'],
      ['ZIP_CODE', '35350'],
    ]);
  });

  it('keeps town and street names inside an address out of PERSON', () => {
    const text = 'Hakuba had given Hakuba his address: 0304 Rua Cidade de Maracajá 468, Joinville';
    const spans = typed(text);
    expect(spans).toContainEqual(['STREET_ADDRESS', '0304 Rua Cidade de Maracajá 468, Joinville']);
    expect(spans.filter(([type]) => type === 'PERSON').map(([, t]) => t)).not.toContain('Joinville');
    expect(spans).toContainEqual(['PERSON', 'Hakuba']);
  });
});

describe('findLooseAddresses', () => {
  it('takes a multi-line block up to the country and code', () => {
    const text = 'Angelo Rizzo\n\n50345 Wingertweg 126\n Suite 408\n Ependes\n Switzerland 82590';
    const [a] = findLooseAddresses(text);
    expect(text.slice(a.start, a.end)).toBe('50345 Wingertweg 126\n Suite 408\n Ependes\n Switzerland 82590');
  });

  it('needs a street shape or a cue, so counts in sentences are not addresses', () => {
    expect(findLooseAddresses('Does the 2019 Honda Civic still run?')).toEqual([]);
    expect(findLooseAddresses('We need 200 branded boxes')).toEqual([]);
  });
});
