import { parseDedupeArgs } from './dedupe-args';

describe('dedupe arguments', () => {
  it('takes one or two files and the pairs output', () => {
    expect(parseDedupeArgs(['a.csv', 'b.csv', '--pairs', 'out.csv'])).toEqual({
      fileA: 'a.csv',
      fileB: 'b.csv',
      pairsOut: 'out.csv',
      minProbability: 0.5,
      estimate: true,
    });
    expect(parseDedupeArgs(['--fixed-priors', 'a.csv', '--min-probability', '0.9'])).toMatchObject({
      fileA: 'a.csv',
      fileB: undefined,
      minProbability: 0.9,
      estimate: false,
    });
  });

  it.each([
    [[], 'expected one or two Febrl CSV files, got 0'],
    [['a', 'b', 'c'], 'expected one or two Febrl CSV files, got 3'],
    [['a', '--pairs'], '--pairs needs a value'],
    [['a', '--pairs', '--fixed-priors'], '--pairs needs a value'],
    [['a', '--min-probability', '2'], '--min-probability must be between 0 and 1 (exclusive), got 2'],
    [['a', '--verbose'], 'unknown option --verbose'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseDedupeArgs(argv)).toThrow(message);
  });
});
