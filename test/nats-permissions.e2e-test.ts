import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LeadlineStack } from './support/leadline-stack';

/**
 * deploy/nats/leadline-users.conf, for real: a private nats-server (its own port and store, never the shared one)
 * runs with it; each service user publishes its own events and is refused another service's, and all six
 * services run the whole pipeline, each with its own user.
 */
const SERVICES = { accounts: 'accounts', ingestion: 'conversations', extraction: 'extraction', identity: 'identity', leads: 'leads', notifications: 'notifications' } as const;
const USERS = [...Object.keys(SERVICES), 'broadcasts', 'admin'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

describe('NATS users and subject permissions (deploy/nats)', () => {
  const passwords = Object.fromEntries(USERS.map((user) => [user, randomBytes(18).toString('base64url')]));
  let dir: string;
  let server: ChildProcess;
  let url: string;
  const connections: NatsConnection[] = [];

  async function as(user: string, password = passwords[user]!): Promise<NatsConnection> {
    const nc = await connect({ servers: url, user, pass: password, maxReconnectAttempts: 0 });
    connections.push(nc);
    return nc;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadline-nats-'));
    copyFileSync(join(__dirname, '..', 'deploy', 'nats', 'leadline-users.conf'), join(dir, 'leadline-users.conf'));
    const port = await freePort();
    writeFileSync(join(dir, 'server.conf'), `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${join(dir, 'js')}" }\ninclude ./leadline-users.conf\n`);
    url = `nats://127.0.0.1:${port}`;
    const env = { ...process.env, ...Object.fromEntries(USERS.map((user) => [`LEADLINE_${user.toUpperCase()}_NATS_PASSWORD`, passwords[user]!])) };
    server = spawn('nats-server', ['-c', join(dir, 'server.conf')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    server.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await (await connect({ servers: url, user: 'admin', pass: passwords['admin']!, maxReconnectAttempts: 0 })).close();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the private nats-server did not start: ${(error as Error).message}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    server?.kill('SIGTERM');
    await new Promise((resolve) => (server?.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a wrong password', async () => {
    await expect(as('leads', 'not-the-password')).rejects.toThrow(/Authorization Violation/i);
  });

  it('lets each service publish its own events and refuses it every other service\'s', async () => {
    const admin = await jetstreamManager(await as('admin'));
    for (const stream of Object.values(SERVICES)) {
      await admin.streams.add({ name: `PERM_${stream.toUpperCase()}`, subjects: [`${stream}.>`] });
    }
    for (const [service, stream] of Object.entries(SERVICES)) {
      const js = jetstream(await as(service));
      const ack = await js.publish(`${stream}.v1.test.published`, '{}');
      expect(ack.stream).toBe(`PERM_${stream.toUpperCase()}`);
      for (const other of Object.values(SERVICES).filter((s) => s !== stream)) {
        await expect(js.publish(`${other}.v1.forged.event`, '{}')).rejects.toThrow(/permission/i);
      }
    }
    const leads = await jetstreamManager(await as('leads'));
    await expect(leads.streams.delete('PERM_IDENTITY')).rejects.toThrow(/permission/i);
    await expect(leads.streams.purge('PERM_IDENTITY')).rejects.toThrow(/permission/i);
    const broadcasts = jetstream(await as('broadcasts'));
    await expect(broadcasts.publish('leads.v1.lead.created', '{}')).rejects.toThrow(/permission/i);
    for (const stream of Object.values(SERVICES)) await admin.streams.delete(`PERM_${stream.toUpperCase()}`);
  });

  it('refuses a service a plain subscription to another service\'s events', async () => {
    const nc = await as('identity');
    const errors: string[] = [];
    const sub = nc.subscribe('leads.>', { callback: (error) => { if (error) errors.push(error.message); } });
    await nc.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sub.isClosed() || errors.some((e) => /permission/i.test(e))).toBe(true);
  });

  it('runs the whole pipeline with every service on its own user', async () => {
    const stack = await LeadlineStack.start((service) => ({
      NATS_URL: url, NATS_SUBJECT_PREFIX: '', NATS_USER: service, NATS_PASSWORD: passwords[service]!,
    }));
    try {
      const account = await stack.createAccount('Permitted');
      const result = await stack.converse(account, 'permitted@example.org');
      expect(result.leadId).toEqual(expect.any(String));
      expect(result.notificationId).toEqual(expect.any(String));
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
