import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ensureDatabaseExists } from '@leadline/persistence';
import { dropBenchSchema, isLoaded, loadLeads } from './bench-data';
import { startLeads, type LeadsProcess } from './leads-process';

export const ROOT = resolve(__dirname, '../../../..');

export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Compiles the leads service to dist/ (tools/run-ts.js builds only bench/ and libs/). */
export function buildLeadsService(): void {
  execFileSync(process.execPath, [resolve(ROOT, 'tools/build.js'), 'services/leads', 'libs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Loads the bench data once (a fresh schema migrated by the leads service itself, then the leads; later runs
 * reuse it) and starts the service fresh for the measurement.
 */
export async function benchService(leads: number, accounts: number, nodeArgs: string[] = []): Promise<LeadsProcess> {
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/leadline_bench';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  await ensureDatabaseExists(databaseUrl);
  if (await isLoaded(databaseUrl, leads, accounts)) {
    log(`bench data already loaded: ${leads} leads in ${accounts} accounts`);
  } else {
    await dropBenchSchema(databaseUrl);
    const migrating = await startLeads(ROOT, databaseUrl, natsUrl);
    await migrating.stop();
    await loadLeads(databaseUrl, leads, accounts, log);
  }
  return startLeads(ROOT, databaseUrl, natsUrl, nodeArgs);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Removes the streams the bench's leads service made on the shared NATS (prefix `leadsbench`), and only those. */
export async function removeBenchStreams(): Promise<void> {
  const nc = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', name: 'leads-bench-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (name.startsWith('leadsbench_')) await jsm.streams.delete(name);
    }
  } finally {
    await nc.drain();
  }
}
