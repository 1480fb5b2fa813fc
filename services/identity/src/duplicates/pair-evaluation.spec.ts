import { countTruePairs, evaluatePairs } from './pair-evaluation';

const entity = (id: string): string => id.split('-')[0];

describe('pair evaluation', () => {
  it('counts true pairs within one list (k choose 2) and across two', () => {
    expect(countTruePairs(['1-a', '1-b', '1-c', '2-a'], undefined, entity)).toBe(3);
    expect(countTruePairs(['1-a', '2-a'], ['1-b', '1-c', '3-a'], entity)).toBe(2);
  });

  it('gives precision, recall and F1', () => {
    const result = evaluatePairs(
      [
        ['1-a', '1-b'],
        ['1-a', '2-a'],
      ],
      ['1-a', '1-b', '1-c', '2-a'],
      undefined,
      entity,
    );
    expect(result).toMatchObject({ truePairs: 3, truePositives: 1, falsePositives: 1, falseNegatives: 2, precision: 0.5 });
    expect(result.recall).toBeCloseTo(1 / 3);
    expect(result.f1).toBeCloseTo(0.4);
  });

  it('is zero, not NaN, when nothing is predicted', () => {
    expect(evaluatePairs([], ['1-a', '1-b'], undefined, entity)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
