import { Client } from 'pg';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { infrastructure, uniqueTestPrefix } from '@leadline/testing';
import { initializeServiceDataSource, serviceDataSourceOptions } from './service-data-source';

/** A data source on a fresh schema of its own (tests of this library), and how to drop it afterwards. */
export interface SchemaUnderTest {
  dataSource: DataSource;
  databaseUrl: string;
  schema: string;
  /** Another data source on the same schema (a pool of another size). */
  open(poolSize: number): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function schemaUnderTest(name: string, entities: MixedList<Function | string | EntitySchema> = []): Promise<SchemaUnderTest> {
  const { databaseUrl } = await infrastructure();
  const schema = `${name}_${uniqueTestPrefix()}`;
  const open = (poolSize: number) =>
    initializeServiceDataSource(serviceDataSourceOptions({ url: databaseUrl, schema, entities, migrations: [], poolSize }));
  const dataSource = await open(2);
  return {
    dataSource, databaseUrl, schema, open,
    drop: async () => {
      await dataSource.destroy();
      const admin = new Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
