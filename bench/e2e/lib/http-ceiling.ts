import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { postJson } from './workload';

/** A visitor's first message, as the workload sends them. */
const TEXT = 'Hi, I am Jane Doe, jane.doe@example.com. I would like a quote for a new roof, can someone call me back?';

/**
 * The machine's HTTP ceiling for one message: bench/ingestion's `ceiling` server (bare Fastify storing each request's
 * message as one row, a service's pool of 10 connections, in a process of its own), driven by the bench's own HTTP
 * client with as many requests in flight as the throughput phase has conversations. Returns requests per second.
 */
export async function httpCeiling(distDir: string, databaseUrl: string, prefix: string, inFlight: number, durationMs: number): Promise<number> {
  const schema = `${prefix}_raw_http`;
  const server = fork(join(distDir, 'bench', 'ingestion', 'bench-server.js'), ['ceiling'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DB_SCHEMA: schema, DB_POOL_SIZE: '10' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.once('message', (message) => resolve((message as { url: string }).url));
      server.once('exit', (code) => reject(new Error(`the HTTP ceiling server exited (${code}) before listening`)));
    });
    const started = Date.now();
    const deadline = started + durationMs;
    const counts = await Promise.all(Array.from({ length: inFlight }, async () => {
      const deviceId = randomUUID();
      let answered = 0;
      while (Date.now() < deadline) {
        const answer = await postJson(`${url}/v1/webchat/messages`, { deviceId, clientMessageId: randomUUID(), text: TEXT }, {}, 10_000);
        if (answer.status !== 202) throw new Error(`the HTTP ceiling server answered ${answer.status}: ${answer.text}`);
        answered += 1;
      }
      return answered;
    }));
    return (counts.reduce((a, b) => a + b, 0) * 1000) / (Date.now() - started);
  } finally {
    server.kill('SIGTERM');
    await exited;
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
