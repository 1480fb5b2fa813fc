import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';

export interface ServiceDatabaseOptions {
  url: string;
  /** The service's own schema: every table, the migrations table and the search path. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  logging?: boolean;
  /** Tests only: build tables from entities instead of migrations. */
  synchronize?: boolean;
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema "${schema}" must be lower-case letters, digits and "_", starting with a letter, at most 63`);
  }
  return schema;
}

export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  const schema = assertSchemaName(options.schema);
  return {
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: options.synchronize ?? false,
    logging: options.logging ?? false,
    extra: {
      max: options.poolSize ?? 10,
      // Unqualified SQL (the outbox, raw queries) lands in the service's schema.
      options: `-c search_path=${schema},public`,
    },
  };
}

/**
 * Creates the schema if needed, connects, and runs pending migrations under an advisory lock
 * so replicas starting together migrate once.
 */
export async function initializeServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  const { schema: rawSchema, url } = options as { schema?: string; url?: string };
  const schema = assertSchemaName(String(rawSchema));
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`leadline-migrations:${schema}`]);
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return dataSource;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [`leadline-migrations:${schema}`]).catch(() => undefined);
    await admin.end();
  }
}

/** Creates the database named in the URL when it does not exist yet (local runs and tests). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // Created meanwhile by another process: PostgreSQL says 42P04, or 23505 when both inserts race
        // on pg_database's unique index.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
