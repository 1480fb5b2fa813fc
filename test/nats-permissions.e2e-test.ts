import * as contracts from '@leadline/contracts';
import { DeliverPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startPrivateNatsServer, type PrivateNatsServer } from '@leadline/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LeadlineStack } from './support/leadline-stack';

/**
 * deploy/nats/leadline-users.conf, for real: a private nats-server (its own port and store, never the shared one)
 * runs with it; each service user publishes its own events and is refused another service's, and all six
 * services run the whole pipeline, each with its own user.
 */
const SERVICES = { accounts: 'accounts', ingestion: 'conversations', extraction: 'extraction', identity: 'identity', leads: 'leads', notifications: 'notifications' } as const;

describe('NATS users and subject permissions (deploy/nats)', () => {
  let server: PrivateNatsServer;
  const connections: NatsConnection[] = [];

  async function as(user: string, password = server.passwords[user]!): Promise<NatsConnection> {
    const nc = await connect({ servers: server.url, user, pass: password, maxReconnectAttempts: 0 });
    connections.push(nc);
    return nc;
  }

  beforeAll(async () => {
    server = await startPrivateNatsServer(join(__dirname, '..', 'deploy', 'nats', 'leadline-users.conf'));
  });

  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    await server?.stop();
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

  it('lets each service read only the streams it consumes, and touch no other stream', async () => {
    const admin = await jetstreamManager(await as('admin'));
    for (const stream of ['ACCOUNTS', 'CONVERSATIONS', 'EXTRACTION', 'IDENTITY', 'LEADS', 'NOTIFICATIONS']) {
      await admin.streams.add({ name: stream, subjects: [`${stream === 'CONVERSATIONS' ? 'conversations' : stream.toLowerCase()}.>`], storage: StorageType.File });
    }
    const extraction = await as('extraction');
    const leads = await as('leads');
    // Allowed: what each consumes (the checks below fail on permissions, not on something else).
    await (await jetstream(leads).consumers.get('IDENTITY', { deliver_policy: DeliverPolicy.All })).info();
    await (await jetstream(extraction).consumers.get('CONVERSATIONS', { deliver_policy: DeliverPolicy.All })).info();
    // Refused: reading another service's stream, looking at it, changing it.
    await expect(jetstream(extraction).consumers.get('LEADS', { deliver_policy: DeliverPolicy.All })).rejects.toThrow(/permission/i);
    await expect(jetstream(leads).consumers.get('NOTIFICATIONS', { deliver_policy: DeliverPolicy.All })).rejects.toThrow(/permission/i);
    await expect((await jetstreamManager(leads)).consumers.add('NOTIFICATIONS', { durable_name: 'leads-spy' })).rejects.toThrow(/permission/i);
    await expect((await jetstreamManager(extraction)).streams.info('IDENTITY')).rejects.toThrow(/permission/i);
    await expect((await jetstreamManager(extraction)).streams.update('LEADS', { max_msgs: 1 })).rejects.toThrow(/permission/i);
    await expect((await jetstreamManager(await as('notifications'))).streams.add({ name: 'EXTRACTION_COPY', subjects: ['extraction.copy.>'] })).rejects.toThrow(/permission/i);
  });

  it('grants each service exactly the streams its @OnEvent handlers read (and ACCOUNTS, for credentials)', () => {
    const conf = readFileSync(join(__dirname, '..', 'deploy', 'nats', 'leadline-users.conf'), 'utf8');
    for (const service of Object.keys(SERVICES)) {
      const block = conf.slice(conf.indexOf(`user: "${service}"`), conf.indexOf('subscribe:', conf.indexOf(`user: "${service}"`)));
      const granted = [...block.matchAll(/"\$JS\.API\.CONSUMER\.MSG\.NEXT\.([A-Z_]+)\.>"/g)].map((m) => m[1]!).sort();
      expect([service, granted]).toEqual([service, [...consumedStreams(service)].sort()]);
    }
  });

  it('runs the whole pipeline with every service on its own user', async () => {
    const stack = await LeadlineStack.start((service) => ({
      NATS_URL: server.url, NATS_SUBJECT_PREFIX: '', NATS_USER: service, NATS_PASSWORD: server.passwords[service]!,
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

/** The streams a service's code reads: those of the events its @OnEvent handlers name, and ACCOUNTS (credentials). */
function consumedStreams(service: string): Set<string> {
  const streams = new Set<string>(['ACCOUNTS']);
  const definitions = contracts as unknown as Record<string, { stream?: string; subject?: string }>;
  for (const file of sourceFiles(join(__dirname, '..', 'services', service, 'src'))) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/@OnEvent\((\w+)/g)) {
      const stream = definitions[name!]?.stream;
      if (!stream) throw new Error(`${file}: @OnEvent(${name}) is not an event of @leadline/contracts`);
      streams.add(stream);
    }
  }
  return streams;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|service-test|e2e-test)\.ts$/.test(name) ? [path] : [];
  });
}
