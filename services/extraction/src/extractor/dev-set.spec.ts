// The dev conversations scored by the shared scorer itself, so the figure here is the one the
// issue's target is about (micro-F1 >= 0.95).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile } from '../cli/extract.cli';

const EVAL = join(__dirname, '../../../../../shared/eval');

describe('dev.jsonl through score-extraction.mjs', () => {
  it('reaches micro-F1 >= 0.95', () => {
    const gold = join(EVAL, 'conversations/dev.jsonl');
    const predictions = join(mkdtempSync(join(tmpdir(), 'extraction-')), 'pred.jsonl');
    writeFileSync(predictions, `${extractFile(gold).join('\n')}\n`);
    const report = execFileSync(process.execPath, [join(EVAL, 'score-extraction.mjs'), gold, predictions], { encoding: 'utf8' });
    const microF1 = Number(report.trim().split('\n').pop()?.replace('micro-F1 ', ''));
    expect(microF1).toBeGreaterThanOrEqual(0.95);
  });
});
