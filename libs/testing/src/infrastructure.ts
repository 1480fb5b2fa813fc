import { randomBytes } from 'node:crypto';
import { ensureDatabaseExists } from '@leadline/persistence';

export interface Infrastructure {
  natsUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

let shared: Promise<Infrastructure> | undefined;

/**
 * NATS and PostgreSQL from NATS_URL / DATABASE_URL when set; otherwise started with testcontainers
 * (loaded only then, so machines without Docker never touch it).
 */
export function infrastructure(): Promise<Infrastructure> {
  shared ??= resolveInfrastructure();
  return shared;
}

async function resolveInfrastructure(): Promise<Infrastructure> {
  const natsUrl = process.env['NATS_URL'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (natsUrl && databaseUrl) {
    await ensureDatabaseExists(databaseUrl);
    return { natsUrl, databaseUrl, stop: async () => undefined };
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { NatsContainer } = await import('@testcontainers/nats');
  const [pg, nats] = await Promise.all([
    databaseUrl ? undefined : new PostgreSqlContainer('postgres:15-alpine').start(),
    natsUrl ? undefined : new NatsContainer('nats:2.10-alpine').withJetStream().start(),
  ]);
  return {
    natsUrl: natsUrl ?? `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`,
    databaseUrl: databaseUrl ?? pg!.getConnectionUri(),
    stop: async () => {
      await Promise.all([pg?.stop(), nats?.stop()]);
    },
  };
}

/** A prefix no other test run shares: schemas `<service>_<prefix>`, subjects `<prefix>.…`, streams `<prefix>_…`. */
export function uniqueTestPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
