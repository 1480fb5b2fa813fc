import { damerauLevenshtein, jaroWinkler, soundex } from './string-similarity';

describe('jaroWinkler', () => {
  it.each([
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
  ])('%s ~ %s is about %d (textbook values)', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it('is 1 for equal strings, 0 for nothing in common or an empty side', () => {
    expect(jaroWinkler('robert', 'robert')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('is symmetric and survives long strings (scratch buffers grow)', () => {
    const long = 'a'.repeat(200) + 'b';
    expect(jaroWinkler(long, long + 'c')).toBeCloseTo(jaroWinkler(long + 'c', long), 10);
  });
});

describe('damerauLevenshtein', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(damerauLevenshtein('19560409', '19650409')).toBe(1);
    expect(damerauLevenshtein('natahn', 'nathan')).toBe(1);
  });

  it('counts inserts, deletes and substitutions', () => {
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('abc', 'abc')).toBe(0);
  });

  it('stops early past the bound', () => {
    expect(damerauLevenshtein('abcdef', 'uvwxyz', 1)).toBe(2);
    expect(damerauLevenshtein('a', 'abcdef', 2)).toBe(3);
  });
});

describe('soundex', () => {
  it.each([
    ['robert', 'R163'],
    ['rupert', 'R163'],
    ['ashcraft', 'A261'],
    ['tymczak', 'T522'],
    ['pfister', 'P236'],
    ['smyth', 'S530'],
    ['smith', 'S530'],
  ])('%s -> %s', (name, code) => expect(soundex(name)).toBe(code));

  it('is empty without letters', () => expect(soundex('123')).toBe(''));
});
