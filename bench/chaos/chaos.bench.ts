/**
 * The full chaos run: 2,000 conversations while each service is SIGKILLed and restarted, then NATS, then
 * PostgreSQL (all private to this run). Prints lost and duplicated; exits 1 unless both are 0.
 *
 *   node tools/run-ts.js bench/chaos/chaos.bench.ts [--conversations 2000] [--rate 20]
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos-run';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { conversations: { type: 'string', default: '2000' }, rate: { type: 'string', default: '20' } } });
  const conversations = Number(values.conversations);
  const rate = Number(values.rate);
  if (!Number.isInteger(conversations) || conversations < 1) throw new Error(`--conversations must be a positive whole number, got "${values.conversations}"`);
  if (!(rate > 0)) throw new Error(`--rate must be a positive number, got "${values.rate}"`);
  const result = await runChaos({ conversations, ratePerSecond: rate });
  for (const fault of result.faults) process.stdout.write(`[chaos] ${fault}\n`);
  for (const exit of result.unexpectedExits) process.stdout.write(`[chaos] restarted after dying on its own: ${exit}\n`);
  for (const problem of result.problems.slice(0, 50)) process.stdout.write(`[chaos] ${problem}\n`);
  process.stdout.write(`[chaos] ${result.conversations} conversations in ${result.seconds} s; dead-lettered ${result.deadLettered}\n`);
  process.stdout.write(`[chaos] lost = ${result.lost}, duplicated = ${result.duplicated}\n`);
  if (result.lost > 0 || result.duplicated > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`[chaos] failed: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  });
}
