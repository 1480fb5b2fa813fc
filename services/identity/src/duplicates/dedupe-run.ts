import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DedupeArgs } from './dedupe-args';
import { febrlEntity, loadFebrl } from './febrl';
import { findDuplicatePairs, type FindDuplicatesResult } from './find-duplicate-pairs';
import { evaluatePairs, type PairEvaluation } from './pair-evaluation';

export interface DedupeRun {
  evaluation: PairEvaluation;
  result: FindDuplicatesResult;
  loadMs: number;
  report: string;
}

/** The predicted pairs as CSV: a header, then one "rec_id_a,rec_id_b" line per pair. */
export function pairsCsv(pairs: ReadonlyArray<{ a: string; b: string }>): string {
  return ['rec_id_a,rec_id_b', ...pairs.map((p) => `${p.a},${p.b}`)].join('\n') + '\n';
}

const ms = (value: number): string => `${Math.round(value)} ms`;
const ratio = (value: number): string => value.toFixed(4);

/** Loads the Febrl files, runs the scorer, writes the pairs and builds the printed report. */
export function runDedupe(args: DedupeArgs): DedupeRun {
  const loadStarted = performance.now();
  const a = loadFebrl(args.fileA);
  const b = args.fileB ? loadFebrl(args.fileB) : undefined;
  const loadMs = performance.now() - loadStarted;

  const result = findDuplicatePairs(a, b, { minProbability: args.minProbability, estimate: args.estimate });
  if (args.pairsOut) writeFileSync(args.pairsOut, pairsCsv(result.suggestions));

  const evaluation = evaluatePairs(
    result.suggestions.map((s) => [s.a, s.b] as const),
    a.map((r) => r.id),
    b?.map((r) => r.id),
    febrlEntity,
  );
  const { stats } = result;
  const t = stats.timingsMs;
  const title = b ? `${basename(args.fileA)} x ${basename(args.fileB ?? '')}` : basename(args.fileA);
  const report = [
    `${title}: ${a.length}${b ? ` x ${b.length}` : ''} contacts, model: ${result.modelSource === 'estimated' ? 'estimated by EM, unsupervised' : result.modelSource}`,
    `candidate pairs compared: ${stats.candidatePairs} of ${stats.possiblePairs} possible (${((100 * stats.candidatePairs) / Math.max(1, stats.possiblePairs)).toFixed(3)}%)`,
    `predicted pairs: ${evaluation.predictedPairs}, true pairs: ${evaluation.truePairs}, found: ${evaluation.truePositives}, false: ${evaluation.falsePositives}, missed: ${evaluation.falseNegatives}`,
    `precision ${ratio(evaluation.precision)}  recall ${ratio(evaluation.recall)}  F1 ${ratio(evaluation.f1)}`,
    `time: load ${ms(loadMs)}, prepare ${ms(t.prepare)}, blocking ${ms(t.blocking)}, compare ${ms(t.compare)}, estimate ${ms(t.estimate)}, score ${ms(t.score)}, scorer total ${ms(t.total)} (${Math.round(stats.candidatePairs / (t.compare / 1000 || 1))} pairs/s compared)`,
    ...(args.pairsOut ? [`pairs written to ${args.pairsOut}`] : []),
  ].join('\n');
  return { evaluation, result, loadMs, report };
}
