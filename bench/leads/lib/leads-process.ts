import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testSessionKeys } from '@leadline/testing';
import { BENCH_SCHEMA } from './bench-data';

export interface LeadsProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The real leads service (dist/services/leads/src/main.js, built by the bench) in its own process, on the bench
 * schema and a NATS prefix of its own, so its memory is measured apart from the bench's. `nodeArgs` go to node
 * (e.g. `--max-old-space-size=64`).
 */
export async function startLeads(root: string, databaseUrl: string, natsUrl: string, nodeArgs: string[] = []): Promise<LeadsProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(root, 'dist/services/leads/src/main.js')], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, DB_SCHEMA: BENCH_SCHEMA, NATS_SUBJECT_PREFIX: 'leadsbench',
      PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SESSION_PUBLIC_KEY: testSessionKeys.publicKeyText, DB_POOL_SIZE: '10',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the leads service exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error('the leads service did not get ready in 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url, pid: child.pid!,
    stop: () => new Promise((resolve) => {
      // A service that already died (e.g. out of its capped heap) has nothing left to stop.
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Resident memory of a process now and at its peak (VmHWM), in MiB, from /proc. */
export function processMemory(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}
