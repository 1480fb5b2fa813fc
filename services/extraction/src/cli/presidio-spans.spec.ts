// Presidio's 1,500 synthetic sentences (../shared/eval/presidio), IoU >= 0.5 per type.
// Targets from issue 4: PERSON F1 >= 0.90, PHONE_NUMBER F1 >= 0.90, EMAIL_ADDRESS 1.0.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { detectSpans, SPAN_TYPES } from '../extractor/spans';
import { formatSpanReport, PresidioSentence, scorePresidio } from './span-scoring';

describe('span detection on Presidio synth_dataset_v2', () => {
  const sentences = JSON.parse(
    readFileSync(join(__dirname, '../../../../../shared/eval/presidio/synth_dataset_v2.json'), 'utf8'),
  ) as PresidioSentence[];
  const report = scorePresidio(sentences, (t) => detectSpans(t, 'US'), SPAN_TYPES);

  it('prints the report', () => {
    expect(formatSpanReport(report)).toContain('PERSON');
  });
  it('EMAIL_ADDRESS F1 is 1.0', () => expect(report.EMAIL_ADDRESS.overlap.f1).toBe(1));
  it('PHONE_NUMBER F1 >= 0.90', () => expect(report.PHONE_NUMBER.overlap.f1).toBeGreaterThanOrEqual(0.9));
  it('PERSON F1 >= 0.90', () => expect(report.PERSON.overlap.f1).toBeGreaterThanOrEqual(0.9));
});
