/**
 * CSV export of 100k leads (one account of the 1M-lead bench data): rows per second and the leads service's
 * peak memory while it streams.
 *   node tools/run-ts.js bench/leads/export.bench.ts [--leads 1000000] [--accounts 10]
 * See bench/leads/README.md.
 */
import { buildLeadsService } from './lib/bench-setup';

// tools/run-ts.js builds bench/ and libs/ only; the bench also runs the leads service's own code, built first.
buildLeadsService();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runExportBench } = require('./lib/export-run') as { runExportBench: () => Promise<void> };

runExportBench().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
