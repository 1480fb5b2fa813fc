import { DetectedSpan } from '../extractor/spans';
import { iou, matchSpans, scoreOf, scorePresidio } from './span-scoring';

const p = (start: number, end: number, type: DetectedSpan['type'] = 'PERSON'): DetectedSpan => ({ type, start, end, text: '' });

describe('span scoring (same type, IoU >= 0.5, one-to-one)', () => {
  it('computes IoU', () => {
    expect(iou({ start: 0, end: 10 }, { start: 5, end: 15 })).toBeCloseTo(5 / 15);
    expect(iou({ start: 0, end: 4 }, { start: 4, end: 8 })).toBe(0);
  });

  it('pairs each gold span with at most one prediction', () => {
    const gold = [{ type: 'PERSON', start: 0, end: 10 }];
    expect(matchSpans([p(0, 10), p(1, 9)], gold, 'PERSON')).toEqual({ tp: 1, fp: 1, fn: 0 });
    expect(matchSpans([p(0, 4)], gold, 'PERSON')).toEqual({ tp: 0, fp: 1, fn: 1 }); // IoU 0.4
    expect(matchSpans([p(0, 6)], gold, 'PERSON')).toEqual({ tp: 1, fp: 0, fn: 0 }); // IoU 0.6
    expect(matchSpans([p(0, 6)], gold, 'PERSON', true)).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(matchSpans([p(0, 10, 'ZIP_CODE')], gold, 'PERSON')).toEqual({ tp: 0, fp: 0, fn: 1 });
  });

  it('scores a corpus per type', () => {
    const report = scorePresidio(
      [{ full_text: 'x', spans: [{ entity_type: 'PERSON', start_position: 0, end_position: 10 }] }],
      () => [p(0, 10), p(20, 25)],
      ['PERSON'],
    );
    expect(report.PERSON.overlap).toEqual(scoreOf({ tp: 1, fp: 1, fn: 0 }));
    expect(report.PERSON.overlap.precision).toBe(0.5);
    expect(report.PERSON.overlap.recall).toBe(1);
  });
});
