/**
 * Web chat messages accepted per second over HTTP on loopback, next to the ceiling measured in the same run: a
 * bare Fastify endpoint doing one pg INSERT per request, with the same connections and pool. See README.md.
 *
 *   node tools/run-ts.js bench/ingestion/ingestion.bench.ts [--duration 10] [--rounds 3] [--warmup 5] [--connections 32] [--pool 10] [--devices 5000]
 */
import 'reflect-metadata';
import { AccountUpdatedEvent } from '@leadline/contracts';
import { eventually, publishEvent, TestRun } from '@leadline/testing';
import autocannon from 'autocannon';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CpuMeter, type CpuSpent } from './cpu-usage';

interface Options {
  duration: number;
  connections: number;
  pool: number;
  devices: number;
  rounds: number;
  warmup: number;
}

interface Measured {
  name: string;
  messagesPerSecond: number;
  p50: number;
  p99: number;
  accepted: number;
  failed: number;
  /** CPU of the server process and of its PostgreSQL backends while the round ran (undefined without /proc). */
  cpu?: CpuSpent;
}

interface Server {
  child: ChildProcess;
  url: string;
  meter?: CpuMeter;
}

const TARGET_RATIO = 0.6;

function options(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      pool: { type: 'string', default: '10' },
      devices: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '5' },
    },
  });
  return {
    duration: Number(values.duration), connections: Number(values.connections), pool: Number(values.pool), devices: Number(values.devices),
    rounds: Number(values.rounds), warmup: Number(values.warmup),
  };
}

function repositoryRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, '.swcrc')) && existsSync(join(dir, 'services', 'ingestion'))) return dir;
  }
  throw new Error(`no Leadline repository above ${from}`);
}

/**
 * Compiles the ingestion service, the libs and this bench into tmp/ingestion-bench-dist (inside the repository, so
 * node_modules resolve): tools/run-ts.js rebuilds only bench/ and libs/, and the servers must run today's service.
 */
function buildServers(): string {
  const root = repositoryRoot(__dirname);
  const outDir = join(root, 'tmp', 'ingestion-bench-dist');
  execFileSync(process.execPath, [
    require.resolve('@swc/cli/bin/swc.js', { paths: [root] }), 'services/ingestion', 'libs', 'bench/ingestion', '-d', outDir,
    '--config-file', '.swcrc', '--quiet', '--copy-files', '--ignore', '**/*.spec.ts,**/*.service-test.ts',
  ], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(outDir, 'bench', 'ingestion', 'bench-server.js');
}

/**
 * Starts bench-server.js in its own process and resolves with its URL. Its database connections carry their own
 * application_name, so the CPU of its PostgreSQL backends can be told apart from everyone else's.
 */
function startServer(serverJs: string, kind: 'ingestion' | 'ceiling', env: NodeJS.ProcessEnv, run: TestRun): Promise<Server> {
  // BENCH_SERVER_NODE_OPTIONS, e.g. "--cpu-prof --cpu-prof-dir=tmp/profiles", profiles the servers.
  const execArgv = (process.env['BENCH_SERVER_NODE_OPTIONS'] ?? '').split(' ').filter((arg) => arg.length > 0);
  const applicationName = `bench-${kind}-${run.prefix}`.slice(0, 63);
  const databaseUrl = new URL(env['DATABASE_URL']!);
  databaseUrl.searchParams.set('application_name', applicationName);
  const child = fork(serverJs, [kind], { env: { ...env, DATABASE_URL: databaseUrl.toString() }, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const meter = CpuMeter.available() && child.pid !== undefined
    ? new CpuMeter(child.pid, async () => (await run.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])).map((row) => row.pid))
    : undefined;
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, url: (message as { url: string }).url, ...(meter ? { meter } : {}) }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Every request is a new message (its own client message id) from one of `devices` visitors. */
async function load(name: string, server: Server, widgetKey: string, opts: Options): Promise<Measured> {
  const devices = Array.from({ length: opts.devices }, () => randomUUID());
  let sequence = 0;
  const before = await server.meter?.snapshot();
  const result = await autocannon({
    url: `${server.url}/v1/webchat/messages`, connections: opts.connections, duration: opts.duration,
    requests: [{
      method: 'POST', headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        sequence += 1;
        const deviceId = devices[sequence % devices.length]!;
        return { ...request, body: JSON.stringify({ widgetKey, deviceId, clientMessageId: `m${sequence}`, text: `Hello, this is message ${sequence}, my email is visitor${sequence}@example.com` }) };
      },
    }],
  });
  const cpu = before && server.meter ? await server.meter.since(before) : undefined;
  const accepted = result['2xx'];
  return {
    name, messagesPerSecond: accepted / opts.duration, p50: result.latency.p50, p99: result.latency.p99, accepted,
    failed: result.non2xx + result.errors + result.timeouts, ...(cpu ? { cpu } : {}),
  };
}

/** All rounds of one side: messages over the whole time, the median p50 and the worst p99. */
function combine(rounds: Measured[]): Measured {
  const sorted = rounds.map((r) => r.p50).sort((a, b) => a - b);
  const accepted = rounds.reduce((sum, r) => sum + r.accepted, 0);
  const cpu = rounds.every((r) => r.cpu) ? {
    serverSeconds: rounds.reduce((sum, r) => sum + r.cpu!.serverSeconds, 0),
    postgresSeconds: rounds.reduce((sum, r) => sum + r.cpu!.postgresSeconds, 0),
  } : undefined;
  return {
    name: `all rounds: ${rounds[0]!.name}`, accepted, messagesPerSecond: rounds.reduce((sum, r) => sum + r.messagesPerSecond, 0) / rounds.length,
    p50: sorted[Math.floor(sorted.length / 2)]!, p99: Math.max(...rounds.map((r) => r.p99)), failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    ...(cpu ? { cpu } : {}),
  };
}

/** CPU milliseconds per accepted message, or '-' without a measure. */
function perMessage(seconds: number | undefined, accepted: number): string {
  return seconds === undefined || accepted === 0 ? '-' : (seconds * 1000 / accepted).toFixed(2);
}

async function announce(run: TestRun, url: string, widgetKey: string): Promise<void> {
  await publishEvent(run.js, run.naming(), AccountUpdatedEvent, {
    accountId: randomUUID(), name: 'Bench', domain: 'bench.example', active: true, timeZone: 'UTC', defaultPhoneRegion: 'US',
    idleWindowSeconds: 3600, matchingPolicy: 'standard', fillFields: [], sharedIdentifierLimit: 5,
    identitySecret: 'bench-identity-secret', version: 1,
    channels: [{ kind: 'webchat', address: widgetKey, captureLeads: true, captureFields: ['email'] }],
  }, { source: 'accounts' });
  await eventually(async () => (await fetch(`${url}/v1/webchat/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widgetKey, deviceId: randomUUID(), clientMessageId: 'warm-up', text: 'warm up' }),
  })).status === 202 ? true : undefined, 20_000, 'ingestion to learn the bench account');
}

function print(rows: Measured[], ratio: number, opts: Options): void {
  process.stdout.write(`\nweb chat messages over HTTP on loopback: ${opts.connections} connections, ${opts.rounds} alternating rounds of ${opts.duration} s each, pool ${opts.pool}\n`);
  process.stdout.write(`${'endpoint'.padEnd(50)}${'msgs/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(8)}`
    + `${'node cpu ms/msg'.padStart(17)}${'pg cpu ms/msg'.padStart(15)}\n`);
  for (const row of rows) {
    process.stdout.write(`${row.name.padEnd(50)}${row.messagesPerSecond.toFixed(0).padStart(10)}${String(row.p50).padStart(9)}${String(row.p99).padStart(9)}${String(row.failed).padStart(8)}`
      + `${perMessage(row.cpu?.serverSeconds, row.accepted).padStart(17)}${perMessage(row.cpu?.postgresSeconds, row.accepted).padStart(15)}\n`);
  }
  process.stdout.write(`ratio ingestion / ceiling: ${(ratio * 100).toFixed(1)}% (target >= ${TARGET_RATIO * 100}%)\n`);
  const [ceiling, ingestion] = [rows[rows.length - 2]!, rows[rows.length - 1]!];
  if (ceiling.cpu && ingestion.cpu && ceiling.accepted > 0 && ingestion.accepted > 0) {
    // Less sensitive to what else runs on the machine than throughput: what a message costs, not how fast it went.
    const perMessage = (row: Measured) => (row.cpu!.serverSeconds + row.cpu!.postgresSeconds) / row.accepted;
    process.stdout.write(`CPU per message, server + its PostgreSQL backends: ceiling / ingestion = ${(perMessage(ceiling) / perMessage(ingestion) * 100).toFixed(1)}% `
      + '(NATS and autocannon not counted)\n');
  }
}

async function main(): Promise<void> {
  const opts = options();
  const serverJs = buildServers();
  const run = await TestRun.start();
  const widgetKey = `bench-${run.prefix}`;
  // The per-widget and per-device rate limits protect production from floods; here the flood is the point.
  const env = { ...process.env, ...run.env('ingestion', {
    DB_POOL_SIZE: String(opts.pool), LOG_LEVEL: 'silent',
    RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE: '1000000', RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE: '1000000',
  }) };
  try {
    const ceilingServer = await startServer(serverJs, 'ceiling', env, run);
    const ingestionServer = await startServer(serverJs, 'ingestion', env, run);
    await announce(run, ingestionServer.url, widgetKey);
    // Unmeasured warm-up of both (JIT, pooled connections, prepared statements, the first conversations).
    await load('warm-up', ceilingServer, widgetKey, { ...opts, duration: opts.warmup });
    await load('warm-up', ingestionServer, widgetKey, { ...opts, duration: opts.warmup });
    const countStored = async () => (await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${run.schema('ingestion')}.messages`))[0]!.n;
    const storedBefore = await countStored();
    // Alternating rounds, both servers up throughout: on a shared machine the load drifts, and each side gets the same.
    const rounds: { ceiling: Measured; ingestion: Measured }[] = [];
    for (let round = 0; round < opts.rounds; round += 1) {
      rounds.push({
        ceiling: await load('ceiling (Fastify + 1 pg INSERT)', ceilingServer, widgetKey, opts),
        ingestion: await load('ingestion POST /v1/webchat/messages', ingestionServer, widgetKey, opts),
      });
    }
    await stopServer(ceilingServer.child);
    await stopServer(ingestionServer.child);

    const stored = (await countStored()) - storedBefore;
    const ceiling = combine(rounds.map((r) => r.ceiling));
    const ingestion = combine(rounds.map((r) => r.ingestion));
    const ratio = ingestion.messagesPerSecond / ceiling.messagesPerSecond;
    print([...rounds.flatMap((r, i) => [{ ...r.ceiling, name: `#${i + 1} ${r.ceiling.name}` }, { ...r.ingestion, name: `#${i + 1} ${r.ingestion.name}` }]), ceiling, ingestion], ratio, opts);
    // Requests still in flight when a round stops are stored but not counted as accepted: stored >= accepted.
    process.stdout.write(`messages stored during the rounds: ${stored}, answered 202 within them: ${rounds.reduce((n, r) => n + r.ingestion.accepted, 0)} (the difference were in flight when a round stopped)\n`);
  } finally {
    await run.cleanup();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
