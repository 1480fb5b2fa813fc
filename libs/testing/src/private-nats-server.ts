import { connect } from '@nats-io/transport-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The NATS users deploy/nats/leadline-users.conf defines, each with a password from the environment. */
export const NATS_USERS = ['accounts', 'ingestion', 'extraction', 'identity', 'leads', 'notifications', 'broadcasts', 'admin'] as const;

export interface PrivateNatsServer {
  url: string;
  /** The random password of each user of leadline-users.conf. */
  passwords: Record<string, string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** nats-server from PATH, else where Debian's package puts it (/usr/sbin is not on every user's PATH). */
export function natsServerBinary(): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).concat('/usr/sbin', '/usr/local/bin')) {
    const candidate = path.join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('nats-server was not found on PATH nor in /usr/sbin: install it (apt-get install nats-server)');
}

/**
 * A nats-server of the test's own (own port, own JetStream store, never the shared one) running the users and
 * subject permissions of deploy/nats/leadline-users.conf, with a fresh random password per user.
 */
export async function startPrivateNatsServer(usersConf: string, timeoutMs = 20_000): Promise<PrivateNatsServer> {
  // nats-server reads a `$VARIABLE` whose value starts with a digit or a sign as a number and refuses it.
  const passwords = Object.fromEntries(NATS_USERS.map((user) => [user, `pw${randomBytes(18).toString('hex')}`]));
  const dir = mkdtempSync(path.join(tmpdir(), 'leadline-nats-'));
  copyFileSync(usersConf, path.join(dir, 'leadline-users.conf'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'server.conf'), `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${path.join(dir, 'js')}" }\ninclude ./leadline-users.conf\n`);
  const url = `nats://127.0.0.1:${port}`;
  const env = { ...process.env, ...Object.fromEntries(NATS_USERS.map((user) => [`LEADLINE_${user.toUpperCase()}_NATS_PASSWORD`, passwords[user]!])) };
  const server: ChildProcess = spawn(natsServerBinary(), ['-c', path.join(dir, 'server.conf')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await connect({ servers: url, user: 'admin', pass: passwords['admin']!, maxReconnectAttempts: 0 })).close();
      return { url, passwords, stop };
    } catch (error) {
      if (Date.now() > deadline || server.exitCode !== null) {
        await stop();
        throw new Error(`the private nats-server did not start within ${timeoutMs} ms: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
