import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { benchCredentialEnv } from './credentials';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { PrivateNats, PrivatePostgres } from './private-infra';
import { buildServices, REPO_ROOT, ServiceCluster, type ServiceName } from './service-cluster';

export interface DeploymentOptions {
  /** Our own nats-server and PostgreSQL cluster (needed to kill them); else the shared ones from the environment. */
  privateInfrastructure: boolean;
  /** Extra environment for every service. */
  serviceEnv?: Record<string, string>;
  gcBeforeSample?: boolean;
  /** Start a service that died on its own again (chaos: as an orchestrator would). */
  restartOnCrash?: boolean;
  /** Reuse a build (tests build once); else services, libs and bench are compiled first. */
  distDir?: string;
}

/**
 * One isolated Leadline: a database and a subject prefix of its own (on shared or private infrastructure),
 * the six services as processes, and the connections the bench uses to count and check.
 */
export class Deployment {
  private constructor(
    readonly prefix: string,
    readonly databaseUrl: string,
    readonly natsUrl: string,
    readonly cluster: ServiceCluster,
    readonly db: Pool,
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly logDir: string,
    private readonly cleanup: (keep: boolean) => Promise<void>,
    readonly nats?: PrivateNats,
    readonly postgres?: PrivatePostgres,
  ) {}

  static async start(options: DeploymentOptions): Promise<Deployment> {
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const logDir = join(REPO_ROOT, 'tmp', 'bench-logs', prefix);
    const distDir = options.distDir ?? process.env['BENCH_DIST_DIR'] ?? buildServices();
    let nats: PrivateNats | undefined;
    let postgres: PrivatePostgres | undefined;
    let natsUrl: string;
    let databaseUrl: string;
    if (options.privateInfrastructure) {
      [nats, postgres] = await Promise.all([PrivateNats.start(), PrivatePostgres.start()]);
      natsUrl = nats.url;
      databaseUrl = postgres.url('leadline');
    } else {
      natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
      const server = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/leadline');
      server.pathname = `/leadline_${prefix}`;
      databaseUrl = server.toString();
    }
    await createDatabase(databaseUrl);
    const db = new Pool({ connectionString: databaseUrl, max: 3 });
    // A restarting PostgreSQL breaks idle connections: the pool replaces them, the error must not kill us.
    db.on('error', () => undefined);
    const nc = await connect({ servers: natsUrl, name: `bench-${prefix}`, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const jsm = await jetstreamManager(nc);
    const cluster = new ServiceCluster({
      distDir, logDir, gcBeforeSample: options.gcBeforeSample ?? false, restartOnCrash: options.restartOnCrash ?? false,
      env: (service: ServiceName) => ({
        ...process.env,
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        DB_SCHEMA: service,
        NATS_SUBJECT_PREFIX: prefix,
        DB_POOL_SIZE: '4',
        LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
        IDLE_SCAN_INTERVAL_MS: '100',
        CONSUMER_RETRY_BASE_MS: '200',
        ...benchCredentialEnv(),
        ...options.serviceEnv,
      }),
    });
    const cleanup = async (keep: boolean): Promise<void> => {
      if (nats && postgres) {
        // Our connection first: with the server gone it would try to reconnect forever.
        await nc.close();
        if (!keep) await Promise.allSettled([nats.stop(), postgres.stop()]);
        return;
      }
      if (!keep) {
        for await (const name of jsm.streams.names()) {
          if (name.startsWith(`${prefix}_`)) await jsm.streams.delete(name);
        }
        await dropDatabase(databaseUrl);
      }
      await nc.close();
    };
    return new Deployment(prefix, databaseUrl, natsUrl, cluster, db, nc, jsm, logDir, cleanup, nats, postgres);
  }

  /** Stops the services, closes our connections, and removes what the run made (or the private servers). */
  async stop(keep = false): Promise<void> {
    await this.cluster.stopAll();
    await this.db.end().catch(() => undefined);
    await this.cleanup(keep);
  }

  /** Stream names of this deployment (`<prefix>_<STREAM>`). */
  async streams(): Promise<string[]> {
    const names: string[] = [];
    for await (const name of this.jsm.streams.names()) if (name.startsWith(`${this.prefix}_`)) names.push(name);
    return names;
  }
}

function adminUrl(databaseUrl: string): { url: string; database: string } {
  const url = new URL(databaseUrl);
  const database = url.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`database name "${database}" must be lower-case letters, digits and "_"`);
  url.pathname = '/postgres';
  return { url: url.toString(), database };
}

async function createDatabase(databaseUrl: string): Promise<void> {
  const { url, database } = adminUrl(databaseUrl);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const { url, database } = adminUrl(databaseUrl);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** True when every durable consumer of the deployment has nothing waiting and nothing unacknowledged. */
export async function pipelineIdle(deployment: Deployment): Promise<boolean> {
  for (const stream of await deployment.streams()) {
    for await (const consumer of deployment.jsm.consumers.list(stream)) {
      if (consumer.num_pending > 0 || consumer.num_ack_pending > 0) return false;
    }
  }
  return true;
}
