import { Client } from 'pg';
import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { infrastructure, uniqueTestPrefix } from '@leadline/testing';
import { queryEntities } from './query-entities';
import { initializeServiceDataSource, serviceDataSourceOptions } from './service-data-source';

@Entity('visits')
class Visit {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('boolean') active!: boolean;
  @Column('int', { nullable: true }) score!: number | null;
  @Column('jsonb') contact!: { email?: string; tags: string[] };
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity('tagged_visits')
class TaggedVisit {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { array: true }) tags!: string[];
}

describe('queryEntities', () => {
  let dataSource: DataSource;
  let schema: string;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = (await infrastructure()).databaseUrl;
    schema = `entities_${uniqueTestPrefix()}`;
    dataSource = await initializeServiceDataSource(serviceDataSourceOptions({ url: databaseUrl, schema, entities: [Visit, TaggedVisit], migrations: [], poolSize: 2 }));
    await dataSource.query(`CREATE TABLE visits (id uuid PRIMARY KEY, display_name text NOT NULL, active boolean NOT NULL,
      score int, contact jsonb NOT NULL, created_at timestamptz NOT NULL)`);
    await dataSource.query('CREATE TABLE tagged_visits (id uuid PRIMARY KEY, tags text[] NOT NULL)');
    await dataSource.query(`INSERT INTO visits VALUES
      ('0190a5a0-0000-7000-8000-000000000001', 'John Smith', true, 63, '{"email": "john@example.com", "tags": ["new"]}', '2026-12-07T10:00:00.123Z'),
      ('0190a5a0-0000-7000-8000-000000000002', 'Ana Lima', false, NULL, '{"tags": []}', '2026-12-06T09:30:00Z')`);
  });

  afterAll(async () => {
    await dataSource.destroy();
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('answers what the repository answers: the same entities, values of the same types', async () => {
    const [fromRepository, prepared] = await dataSource.transaction(async (tx) => [
      await tx.find(Visit, { order: { createdAt: 'ASC' }, lock: { mode: 'pessimistic_write' } }),
      await queryEntities(tx, Visit, 'SELECT * FROM visits ORDER BY created_at FOR UPDATE', []),
    ]);
    expect(prepared).toHaveLength(2);
    expect(prepared).toEqual(fromRepository);
    expect(prepared[0]).toBeInstanceOf(Visit);
    expect(prepared[1]!.createdAt).toEqual(new Date('2026-12-07T10:00:00.123Z'));
    expect(prepared[0]).toMatchObject({ displayName: 'Ana Lima', active: false, score: null, contact: { tags: [] } });
  });

  it('refuses an entity with columns it does not map, rather than answer differently', async () => {
    await expect(queryEntities(dataSource.manager, TaggedVisit, 'SELECT * FROM tagged_visits', []))
      .rejects.toThrow(/TaggedVisit has columns it does not map \(tags\); use the repository/);
  });
});
