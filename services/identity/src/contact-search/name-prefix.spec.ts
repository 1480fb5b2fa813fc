import { prefixPattern } from './name-prefix';

describe('name prefix patterns', () => {
  it('lower-cases and trims the prefix', () => {
    expect(prefixPattern('  JoHn ')).toBe('john%');
  });

  it('escapes LIKE wildcards so they match only themselves', () => {
    expect(prefixPattern('50%_off\\')).toBe('50\\%\\_off\\\\%');
  });
});
