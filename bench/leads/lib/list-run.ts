/** The list bench itself (see ../list.bench.ts, its entry point). */
import { memberHeaders } from '@leadline/testing';
import { pageSql } from '../../../services/leads/src/listing/lead-query';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { AGENTS_PER_ACCOUNT, BENCH_SCHEMA, benchAccountId, benchAgentId, SURNAMES } from './bench-data';
import { benchService, log, option, percentile, removeBenchStreams, round } from './bench-setup';

type Filter = Record<string, string | number | boolean>;
interface Query { name: string; filter: (round: number) => Filter }

const DAY = 86_400_000;
const since = (days: number) => new Date(Date.parse('2026-11-01T00:00:00Z') - days * DAY).toISOString();

/** What people do with the list: tabs by status, my leads, hot leads, a channel this month, a name search, old leads. */
function queries(accountIndex: number): Query[] {
  const agent = (r: number) => benchAgentId(accountIndex, r % AGENTS_PER_ACCOUNT);
  return [
    { name: 'newest, no filter', filter: () => ({}) },
    { name: 'status tab (new)', filter: () => ({ status: 'new' }) },
    { name: 'my active leads', filter: (r) => ({ active: true, agentId: agent(r) }) },
    { name: 'unassigned, by update', filter: () => ({ agentId: 'none', active: true, sort: 'updatedAt' }) },
    { name: 'hot: score >= 80 by score', filter: () => ({ scoreMin: 80, sort: 'score', order: 'desc' }) },
    { name: 'sms in the last 30 days', filter: () => ({ channel: 'sms', createdFrom: since(30) }) },
    { name: 'mixed: statuses+score+channel', filter: () => ({ status: 'contacted,qualifying', scoreMin: 40, scoreMax: 90, channel: 'webchat' }) },
    { name: 'text: surname', filter: (r) => ({ q: SURNAMES[r % SURNAMES.length]!.toLowerCase() }) },
    { name: 'text: a name nobody has', filter: (r) => ({ q: `zq${r}x` }) },
    { name: 'text: email fragment', filter: (r) => ({ q: `.${1000 + r * 37}@` }) },
    { name: 'text: phone digits', filter: (r) => ({ q: `5550${String(10_000 + r * 13).slice(0, 4)}` }) },
    { name: 'old: created 300+ days ago', filter: () => ({ createdTo: since(300), order: 'asc' }) },
  ];
}

function path(filter: Filter, cursor?: string): string {
  const params = new URLSearchParams(Object.entries({ ...filter, limit: 50 }).map(([k, v]): [string, string] => [k, String(v)]));
  if (cursor) params.set('cursor', cursor);
  return `/v1/leads?${params.toString()}`;
}

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; next: string | null }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { headers });
  const body = await response.json() as unknown;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms, next: response.headers.get('x-next-cursor') };
}

/** The database's execution time for the page query the service runs for this filter. */
async function sqlMs(client: Client, accountId: string, filter: Filter): Promise<number> {
  const list = (value: unknown) => (value === undefined ? undefined : String(value).split(','));
  const { sql, params } = pageSql(accountId, {
    ...filter, status: list(filter['status']) as never, channel: list(filter['channel']) as never,
  }, { sort: (filter['sort'] ?? 'createdAt') as never, order: (filter['order'] ?? 'desc') as never, limit: 51 });
  const result = await client.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  return result.rows[0]!['QUERY PLAN'][0]!['Execution Time'];
}

function table(title: string, rows: [string, number[]][]): void {
  log(`\n${title}`);
  log('query                              p50 ms   p95 ms   p99 ms   max ms');
  for (const [name, values] of rows) {
    const sorted = [...values].sort((a, b) => a - b);
    const cell = (v: number, width: number) => String(round(v)).padStart(width);
    log(`${name.padEnd(34)} ${cell(percentile(sorted, 50), 6)} ${cell(percentile(sorted, 95), 8)} ${cell(percentile(sorted, 99), 8)} ${cell(sorted[sorted.length - 1] ?? NaN, 8)}`);
  }
}

export async function runListBench(): Promise<void> {
  const leads = option('--leads', 1_000_000);
  const accounts = option('--accounts', 10);
  const rounds = option('--rounds', 60);
  const service = await benchService(leads, accounts);
  const client = new Client({ connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/leadline_bench' });
  await client.connect();
  await client.query(`SET search_path = ${BENCH_SCHEMA}, public`);
  try {
    const accountId = benchAccountId(0);
    const headers = memberHeaders(accountId);
    const all = queries(0);
    for (let warm = 0; warm < 3; warm += 1) for (const query of all) await timed(`${service.url}${path(query.filter(warm))}`, headers);

    const http = new Map<string, number[]>([...all.map((q): [string, number[]] => [q.name, []]), ['next page (cursor)', []]]);
    const database = new Map<string, number[]>(all.map((q) => [q.name, []]));
    const counts: number[] = [];
    const everything: number[] = [];
    const load = loadavg()[0]!;
    for (let r = 0; r < rounds; r += 1) {
      for (const query of all) {
        const first = await timed(`${service.url}${path(query.filter(r))}`, headers);
        http.get(query.name)!.push(first.ms);
        everything.push(first.ms);
        if (first.next && query.name === 'status tab (new)') {
          const page = await timed(`${service.url}${path(query.filter(r), first.next)}`, headers);
          http.get('next page (cursor)')!.push(page.ms);
          everything.push(page.ms);
        }
        database.get(query.name)!.push(await sqlMs(client, accountId, query.filter(r)));
      }
      counts.push((await timed(`${service.url}/v1/leads/counts?channel=sms`, headers)).ms);
    }
    log(`\nlead list at ${leads} leads (${accounts} accounts, ${Math.round(leads / accounts)} in the queried one), ${rounds} rounds;`
      + ` machine load average ${round(load, 2)} (start) / ${round(loadavg()[0]!, 2)} (end) on ${require('node:os').cpus().length} cores`);
    table('HTTP, end to end (sequential requests, 50 leads a page)', [...http.entries(), ['ALL LIST REQUESTS', everything], ['counts per status (channel=sms)', counts]]);
    const dbAll = [...database.values()].flat();
    table('database execution time of the same page queries (EXPLAIN ANALYZE)', [...database.entries(), ['ALL', dbAll]]);
    const p99 = percentile([...everything].sort((a, b) => a - b), 99);
    const dbP99 = percentile([...dbAll].sort((a, b) => a - b), 99);
    log(`\nlist p99: HTTP ${round(p99)} ms, database ${round(dbP99)} ms (target 50 ms)`);
  } finally {
    await client.end();
    await service.stop();
    await removeBenchStreams();
  }
}

