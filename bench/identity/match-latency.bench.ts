/**
 * Match latency: how long the identity resolver takes to find who a conversation's identifiers (email, phone,
 * web chat device id) belong to (its look-up: the claims' locks, then resolution-facts.ts, which reads the account's settings too), with 10k, 100k and 1M contacts in one account. Target: p99 <= 5 ms at 1M, flat.
 * It also times the whole handling of a conversation by the real resolver, committed (resolve-latency.ts).
 *
 *   node tools/build.js services && node tools/run-ts.js bench/identity/match-latency.bench.ts [--sizes 10000,100000,1000000] [--queries 2000] [--resolves 1000] [--searches 200] [--keep]
 *
 * It also times GET /v1/contacts searches (ContactSearchService) at each size; --searches 0 skips them.
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/leadline_test) and a schema of its own
 * (bench_identity_<pid>), built by the identity service's real migrations and dropped at the end (--keep keeps it
 * for EXPLAIN; the bench prints the DROP to run afterwards).
 */
import { randomInt } from 'node:crypto';
import { MessagingTables1763700000000 } from '@leadline/messaging';
import { assertSchemaName, initializeServiceDataSource, serviceDataSourceOptions } from '@leadline/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { AccountSettings } from '../../services/identity/src/account-settings/account-settings.entity';
import { ContactSummary } from '../../services/identity/src/contacts/contact-summary.entity';
import { Contact } from '../../services/identity/src/contacts/contact.entity';
import { ConversationLink } from '../../services/identity/src/contacts/conversation-link.entity';
import { Identifier } from '../../services/identity/src/contacts/identifier.entity';
import { IdentitySchema1763700000001 } from '../../services/identity/src/migrations/1763700000001-identity-schema';
import { IdentityResolution1763800000000 } from '../../services/identity/src/migrations/1763800000000-identity-resolution';
import { ContactFieldSources1763850000000 } from '../../services/identity/src/migrations/1763850000000-contact-field-sources';
import { ContactData1763850000001 } from '../../services/identity/src/migrations/1763850000001-contact-data';
import {
  RESOLUTION_FACTS_SQL, resolutionFacts, resolutionFactsParams,
} from '../../services/identity/src/resolution/resolution-facts';
import { lockClaims } from '../../services/identity/src/resolution/identifier-writes';
import type { IdentityClaim } from '../../services/identity/src/resolution/identity-claims';
import { bulkLoadContacts, claimsOfPerson, missingClaims } from './synthetic-contacts';
import { resolveLatencies } from './resolve-latency';
import { searchLatencies } from './search-latency';

const ACCOUNT_ID = '0192f000-0000-7000-8000-000000000001';
const MISS_SHARE = 0.1;
const WARM_UP = 200;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const STEPS = ['lock', 'facts'] as const;
type Step = (typeof STEPS)[number];

/** One conversation's look-up, as IdentityResolver.onConversationAnalyzed does it before it decides. */
async function resolverLookup(tx: EntityManager, claims: IdentityClaim[], conversationId: string, steps: Record<Step, number>): Promise<number> {
  let at = performance.now();
  const lap = (step: Step): void => {
    const now = performance.now();
    steps[step] = now - at;
    at = now;
  };
  await lockClaims(tx, ACCOUNT_ID, claims);
  lap('lock');
  const facts = await resolutionFacts(tx, ACCOUNT_ID, conversationId, claims);
  lap('facts');
  return facts.existing.length;
}

/** What the look-up statement costs inside PostgreSQL: buffers touched do not depend on how busy the CPU is. */
async function planOfLookup(dataSource: DataSource, claims: IdentityClaim[]): Promise<{ buffers: number; executionMs: number; indexes: string[] }> {
  const [{ 'QUERY PLAN': [plan] }] = await dataSource.query(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${RESOLUTION_FACTS_SQL}`, resolutionFactsParams(ACCOUNT_ID, crypto.randomUUID(), claims),
  ) as [{ 'QUERY PLAN': [PlanRoot] }];
  const indexes: string[] = [];
  const walk = (node: PlanNode): void => {
    if (node['Index Name']) indexes.push(node['Index Name']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  return { buffers: plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'], executionMs: plan['Execution Time'], indexes };
}

interface PlanNode {
  'Index Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}
interface PlanRoot {
  Plan: PlanNode;
  'Execution Time': number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(dataSource: DataSource, contacts: number, queries: number) {
  const latencies: number[] = [];
  const stepLatencies = Object.fromEntries(STEPS.map((step) => [step, [] as number[]])) as Record<Step, number[]>;
  let matched = 0;
  for (let q = -WARM_UP; q < queries; q++) {
    const miss = Math.random() < MISS_SHARE;
    const claims = miss ? missingClaims(q) : claimsOfPerson(randomInt(contacts));
    const steps = Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<Step, number>;
    let elapsed = 0;
    await dataSource.transaction(async (tx) => {
      const started = performance.now();
      const found = await resolverLookup(tx, claims, crypto.randomUUID(), steps);
      elapsed = performance.now() - started;
      if (q >= 0 && found > 0) matched++;
      if (!miss && found !== claims.length) throw new Error(`person's ${claims.length} identifiers found ${found} times: the data is wrong`);
    });
    if (q < 0) continue;
    latencies.push(elapsed);
    for (const step of STEPS) stepLatencies[step].push(steps[step]);
  }
  const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
  const all = sorted(latencies);
  return {
    p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), max: all[all.length - 1]!, matched,
    steps: STEPS.map((step) => `${step} ${percentile(sorted(stepLatencies[step]), 50).toFixed(2)}/${percentile(sorted(stepLatencies[step]), 99).toFixed(2)}`),
    plan: await planOfLookup(dataSource, claimsOfPerson(randomInt(contacts))),
  };
}

async function main(): Promise<void> {
  const sizes = option('--sizes', '10000,100000,1000000').split(',').map(Number);
  const queries = Number(option('--queries', '2000'));
  const searches = Number(option('--searches', '200'));
  const resolves = Number(option('--resolves', '1000'));
  const withSearch = searches > 0;
  const keep = process.argv.includes('--keep');
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadline_test';
  const schema = assertSchemaName(`bench_identity_${process.pid}`);
  const dataSource = await initializeServiceDataSource(serviceDataSourceOptions({
    url, schema, poolSize: 2, entities: [AccountSettings, Contact, Identifier, ConversationLink, ContactSummary],
    migrations: [MessagingTables1763700000000, IdentitySchema1763700000001, IdentityResolution1763800000000, ContactFieldSources1763850000000,
      ContactData1763850000001],
  }));
  console.log(`match latency: the resolver's look-up of a conversation's email, phone and device id (${queries} look-ups per size, ${MISS_SHARE * 100}% unknown people)`);
  console.log('contacts    identifiers  load s   p50 ms  p90 ms  p99 ms  max ms  found');
  try {
    let loaded = 0;
    for (const size of sizes.sort((a, b) => a - b)) {
      const started = performance.now();
      await bulkLoadContacts(dataSource, ACCOUNT_ID, loaded, size);
      loaded = size;
      const loadSeconds = (performance.now() - started) / 1000;
      const r = await measure(dataSource, size, queries);
      console.log([
        String(size).padEnd(11), String(size * 3).padEnd(12), loadSeconds.toFixed(1).padStart(6),
        r.p50.toFixed(2).padStart(8), r.p90.toFixed(2).padStart(7), r.p99.toFixed(2).padStart(7), r.max.toFixed(2).padStart(7),
        `${((100 * r.matched) / queries).toFixed(0)}%`.padStart(6),
      ].join(' '));
      console.log(`            steps p50/p99 ms: ${r.steps.join(', ')}`);
      console.log(`            look-up statement in PostgreSQL: ${r.plan.buffers} buffers, ${r.plan.executionMs.toFixed(3)} ms, indexes ${[...new Set(r.plan.indexes)].join(', ')}`);
      if (resolves > 0) {
        const h = await resolveLatencies(dataSource, ACCOUNT_ID, size, resolves);
        console.log(`            whole handling, committed (${resolves}, ${(100 * h.matchedShare).toFixed(0)}% matched) ms: ` +
          `p50 ${h.p50.toFixed(2)}, p90 ${h.p90.toFixed(2)}, p99 ${h.p99.toFixed(2)}, max ${h.max.toFixed(2)}`);
      }
      if (withSearch) console.log(`            contact search p50/p99 ms: ${(await searchLatencies(dataSource, ACCOUNT_ID, size, searches)).join(', ')}`);
    }
  } finally {
    if (keep) console.log(`kept schema ${schema}: drop it with DROP SCHEMA "${schema}" CASCADE`);
    else await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
