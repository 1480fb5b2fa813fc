/**
 * The lead list with filters at 1M leads: p50/p95/p99 per query through the real HTTP API (target p99 <= 50 ms),
 * next to the database's own execution time of the same SQL (EXPLAIN ANALYZE), which machine load disturbs less.
 *   node tools/run-ts.js bench/leads/list.bench.ts [--leads 1000000] [--accounts 10] [--rounds 60]
 * See bench/leads/README.md.
 */
import { buildLeadsService } from './lib/bench-setup';

// tools/run-ts.js builds bench/ and libs/ only; the bench also runs the leads service's own code, built first.
buildLeadsService();
// Loaded after the build, as it imports the service's compiled files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runListBench } = require('./lib/list-run') as { runListBench: () => Promise<void> };

runListBench().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
