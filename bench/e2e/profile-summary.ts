/**
 * The hottest functions of a V8 CPU profile (BENCH_CPU_PROF=1 writes one per service process):
 *   node tools/run-ts.js bench/e2e/profile-summary.ts tmp/bench-logs/<prefix>/ingestion.*.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(path: string, top: number): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = selfTime.get(node.id) ?? 0;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|perf-dist|perf-head-dist)\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const pkg = url.includes('node_modules/') ? url.split('node_modules/')[1]!.split('/').slice(0, url.includes('node_modules/@') ? 2 : 1).join('/')
      : url ? (url.startsWith('node:') ? 'node internals' : 'leadline') : functionName.startsWith('(') ? functionName : 'native';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  }
  const show = (title: string, map: Map<string, number>) => {
    process.stdout.write(`${title}\n`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}\n`);
    }
  };
  process.stdout.write(`${path}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  show('by package:', byPackage);
  show('by function (self time):', byFunction);
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  if (positionals.length === 0) throw new Error('give one or more .cpuprofile files');
  for (const path of positionals) summarise(path, Number(values.top));
}

if (require.main === module) main();
