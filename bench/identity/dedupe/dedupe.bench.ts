/**
 * Dedupe bench: times the duplicate scorer on the Febrl sets and on a generated 100k-contact
 * account, and the single-contact lookup the identity service does for each new contact.
 *   npx swc services/identity/src/duplicates bench/identity/dedupe -d /tmp/dd && node /tmp/dd/bench/identity/dedupe/dedupe.bench.js
 * (or node tools/run-ts.js bench/identity/dedupe/dedupe.bench.ts). Optional: --contacts 100000 --queries 2000
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuplicateFinder } from '../../../services/identity/src/duplicates/duplicate-finder';
import { febrlEntity, loadFebrl } from '../../../services/identity/src/duplicates/febrl';
import { findDuplicatePairs, type FindDuplicatesResult } from '../../../services/identity/src/duplicates/find-duplicate-pairs';
import { evaluatePairs } from '../../../services/identity/src/duplicates/pair-evaluation';
import { generateAccount } from './synthetic-account';

// Relative to the repository root, where the bench is run from; the data is never copied in.
const FEBRL = resolve(process.env.FEBRL_DIR ?? '../shared/eval/febrl');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function line(label: string, result: FindDuplicatesResult, f1: number, precision: number, recall: number): string {
  const { stats } = result;
  const t = stats.timingsMs;
  const seconds = t.total / 1000;
  return [
    `${label}`,
    `  contacts ${stats.contacts}, candidate pairs compared ${stats.candidatePairs} of ${stats.possiblePairs.toExponential(2)} possible`,
    `  wall ${Math.round(t.total)} ms (prepare ${Math.round(t.prepare)}, blocking ${Math.round(t.blocking)}, compare ${Math.round(t.compare)}, estimate ${Math.round(t.estimate)}, score ${Math.round(t.score)})`,
    `  ${Math.round(stats.candidatePairs / (t.compare / 1000))} pairs/s compared, ${Math.round(stats.candidatePairs / seconds)} pairs/s end to end`,
    `  precision ${precision.toFixed(4)}  recall ${recall.toFixed(4)}  F1 ${f1.toFixed(4)}  suggestions ${result.suggestions.length}`,
  ].join('\n');
}

function benchFebrl(): void {
  if (!existsSync(join(FEBRL, 'dataset3.csv'))) {
    console.log(`Febrl data not found at ${FEBRL}; skipped`);
    return;
  }
  for (const [label, fileA, fileB] of [
    ['febrl dataset4a x dataset4b', 'dataset4a.csv', 'dataset4b.csv'],
    ['febrl dataset3', 'dataset3.csv', undefined],
  ] as const) {
    const a = loadFebrl(join(FEBRL, fileA));
    const b = fileB ? loadFebrl(join(FEBRL, fileB)) : undefined;
    const result = findDuplicatePairs(a, b);
    const e = evaluatePairs(result.suggestions.map((s) => [s.a, s.b] as const), a.map((r) => r.id), b?.map((r) => r.id), febrlEntity);
    console.log(line(label, result, e.f1, e.precision, e.recall));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function benchAccount(people: number, queries: number): void {
  const generated = performance.now();
  const account = generateAccount(people);

  const generateMs = performance.now() - generated;
  const ids = account.contacts.map((c) => c.id);

  const result = findDuplicatePairs(account.contacts, undefined);
  const e = evaluatePairs(result.suggestions.map((s) => [s.a, s.b] as const), ids, undefined, account.personOf);
  console.log(line(`generated account (${people} people, generated in ${Math.round(generateMs)} ms)`, result, e.f1, e.precision, e.recall));

  // The service's path: the account blocked in memory, one new contact looked up at a time.
  const finder = new DuplicateFinder(result.model);
  const indexStarted = performance.now();
  for (const contact of account.contacts) finder.add(contact);
  const indexMs = performance.now() - indexStarted;
  const duplicates = account.contacts.filter((c) => !c.id.endsWith('-0'));
  const latencies: number[] = [];
  let found = 0;
  for (let q = 0; q < queries; q++) {
    const probe = duplicates[q % duplicates.length];
    const started = performance.now();
    const suggestions = finder.suggestFor(probe);
    latencies.push(performance.now() - started);
    if (suggestions.some((s) => account.personOf(s.b) === account.personOf(probe.id))) found++;
  }
  latencies.sort((x, y) => x - y);
  console.log(
    [
      `single-contact suggestions against ${finder.size} contacts (index built in ${Math.round(indexMs)} ms)`,
      `  ${queries} lookups: p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms, max ${latencies[latencies.length - 1].toFixed(3)} ms; twin found for ${((100 * found) / queries).toFixed(1)}%`,
    ].join('\n'),
  );
}

benchFebrl();
// About 13% of generated people come back as duplicates (10% once or twice): 88.5k people make ~100k contacts.
benchAccount(Math.round(option('--contacts', 100_000) / 1.13), option('--queries', 2000));
