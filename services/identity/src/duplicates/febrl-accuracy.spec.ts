import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDedupe } from './dedupe-run';

// The evaluation data lives beside the repository (../shared/eval/febrl) and is never copied in.
const FEBRL = resolve(__dirname, '../../../../../shared/eval/febrl');
const haveData = existsSync(join(FEBRL, 'dataset3.csv'));
if (!haveData) console.warn(`Febrl data not found at ${FEBRL}: accuracy tests skipped`);
const describeWithData = haveData ? describe : describe.skip;

describeWithData('accuracy on Febrl (the "Measured" targets of issue 5)', () => {
  const out = mkdtempSync(join(tmpdir(), 'dedupe-'));

  it('links dataset4a x dataset4b with F1 >= 0.99', () => {
    const pairsOut = join(out, 'febrl4.csv');
    const run = runDedupe({ fileA: join(FEBRL, 'dataset4a.csv'), fileB: join(FEBRL, 'dataset4b.csv'), pairsOut, minProbability: 0.5, estimate: true });
    console.log(run.report);
    expect(run.evaluation.truePairs).toBe(5000);
    expect(run.evaluation.f1).toBeGreaterThanOrEqual(0.99);
    // Unsupervised EM should find about 5000 duplicates among 25 million pairs.
    expect(Math.abs(run.result.model.priorMatchProbability / (5000 / 25_000_000) - 1)).toBeLessThan(0.05);
    const lines = readFileSync(pairsOut, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('rec_id_a,rec_id_b');
    expect(lines).toHaveLength(run.evaluation.predictedPairs + 1);
    expect(lines[1]).toMatch(/^rec-\d+-org,rec-\d+-dup-0$/);
    // Blocking, not all pairs: well under 0.1% of the 25 million.
    expect(run.result.stats.candidatePairs).toBeLessThan(25_000);
  }, 30_000);

  it('deduplicates dataset3 with F1 >= 0.98', () => {
    const run = runDedupe({ fileA: join(FEBRL, 'dataset3.csv'), minProbability: 0.5, estimate: true });
    console.log(run.report);
    expect(run.evaluation.truePairs).toBe(6538);
    expect(run.evaluation.f1).toBeGreaterThanOrEqual(0.98);
  }, 30_000);

  it('reaches the targets with the fixed priors too (no estimation)', () => {
    const linked = runDedupe({ fileA: join(FEBRL, 'dataset4a.csv'), fileB: join(FEBRL, 'dataset4b.csv'), minProbability: 0.5, estimate: false });
    const deduplicated = runDedupe({ fileA: join(FEBRL, 'dataset3.csv'), minProbability: 0.5, estimate: false });
    expect(linked.evaluation.f1).toBeGreaterThanOrEqual(0.99);
    expect(deduplicated.evaluation.f1).toBeGreaterThanOrEqual(0.98);
  }, 30_000);
});
