import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { queryEntities, queryEntitiesWithRows } from './query-entities';
import { schemaUnderTest, type SchemaUnderTest } from './schema-under-test';

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
  let under: SchemaUnderTest;
  let dataSource: DataSource;

  beforeAll(async () => {
    under = await schemaUnderTest('entities', [Visit, TaggedVisit]);
    dataSource = under.dataSource;
    await dataSource.query(`CREATE TABLE visits (id uuid PRIMARY KEY, display_name text NOT NULL, active boolean NOT NULL,
      score int, contact jsonb NOT NULL, created_at timestamptz NOT NULL)`);
    await dataSource.query('CREATE TABLE tagged_visits (id uuid PRIMARY KEY, tags text[] NOT NULL)');
    await dataSource.query(`INSERT INTO visits VALUES
      ('0190a5a0-0000-7000-8000-000000000001', 'John Smith', true, 63, '{"email": "john@example.com", "tags": ["new"]}', '2026-12-07T10:00:00.123Z'),
      ('0190a5a0-0000-7000-8000-000000000002', 'Ana Lima', false, NULL, '{"tags": []}', '2026-12-06T09:30:00Z')`);
  });

  afterAll(() => under.drop());

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

  it('hands each entity over with its whole row, extra columns included', async () => {
    const read = await queryEntitiesWithRows<Visit, { first_name: string }>(dataSource.manager, Visit,
      `SELECT *, split_part(display_name, ' ', 1) AS first_name FROM visits ORDER BY created_at`, []);
    expect(read.map(({ entity }) => entity)).toEqual(await dataSource.manager.find(Visit, { order: { createdAt: 'ASC' } }));
    expect(read.map(({ row }) => row.first_name)).toEqual(['Ana', 'John']);
    expect(read[0]!.entity).not.toHaveProperty('first_name');
  });

  it('refuses an entity with columns it does not map, rather than answer differently', async () => {
    await expect(queryEntities(dataSource.manager, TaggedVisit, 'SELECT * FROM tagged_visits', []))
      .rejects.toThrow(/TaggedVisit has columns it does not map \(tags\); use the repository/);
  });
});
