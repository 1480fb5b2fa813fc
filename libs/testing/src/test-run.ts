import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { SubjectNaming } from '@leadline/messaging';
import { Client } from 'pg';
import { testOperatorKey, testSessionKeys } from './credentials';
import { infrastructure, uniqueTestPrefix } from './infrastructure';

/** Everything one test file needs: its own prefix, a NATS connection, and clean-up of what it made. */
export class TestRun {
  private constructor(
    readonly prefix: string,
    readonly natsUrl: string,
    readonly databaseUrl: string,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {}

  readonly naming = () => new SubjectNaming(this.prefix);

  static async start(): Promise<TestRun> {
    const infra = await infrastructure();
    const nc = await connect({ servers: infra.natsUrl, name: 'test-run' });
    return new TestRun(uniqueTestPrefix(), infra.natsUrl, infra.databaseUrl, nc, jetstream(nc), await jetstreamManager(nc));
  }

  schema(service: string): string {
    return `${service}_${this.prefix}`;
  }

  /** The environment a service gets in this run. */
  env(service: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.natsUrl,
      DB_SCHEMA: this.schema(service),
      DB_POOL_SIZE: '4',
      NATS_SUBJECT_PREFIX: this.prefix,
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      CONSUMER_RETRY_BASE_MS: '100',
      OUTBOX_POLL_MS: '100',
      // Real credentials: services verify the tokens memberHeaders()/systemHeaders() sign with the test key.
      SESSION_PUBLIC_KEY: testSessionKeys.publicKeyText,
      SESSION_PRIVATE_KEY: testSessionKeys.privateKeyText,
      OPERATOR_KEY_SHA256: testOperatorKey.sha256,
      ...extra,
    };
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Drops this run's schemas and streams, and closes the connection. */
  async cleanup(): Promise<void> {
    const schemas = await this.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`%\\_${this.prefix}`]);
    for (const { nspname } of schemas) await this.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    for await (const name of this.jsm.streams.names()) {
      if (name.startsWith(`${this.prefix}_`)) await this.jsm.streams.delete(name);
    }
    await this.nc.drain();
  }
}
