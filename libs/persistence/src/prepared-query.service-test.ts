import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { queryPrepared } from './prepared-query';
import { schemaUnderTest, type SchemaUnderTest } from './schema-under-test';

describe('queryPrepared', () => {
  let under: SchemaUnderTest;
  let dataSource: DataSource;

  beforeAll(async () => {
    under = await schemaUnderTest('prepared');
    dataSource = under.dataSource;
    await dataSource.query('CREATE TABLE visitors (id int PRIMARY KEY, name text NOT NULL)');
  });

  afterAll(() => under.drop());

  const insert = 'INSERT INTO visitors (id, name) VALUES ($1, $2) RETURNING id, name';
  const preparedHere = `SELECT name, statement FROM pg_prepared_statements WHERE statement = $1`;

  it('answers like a plain query, and the statement stays prepared on the transaction\'s connection', async () => {
    const seen = await dataSource.transaction(async (tx) => {
      const first = await queryPrepared<{ id: number; name: string }>(tx, insert, [1, 'John Smith']);
      const second = await queryPrepared<{ id: number; name: string }>(tx, insert, [2, 'Ana Lima']);
      // Same connection: the statement is prepared there once, under one name.
      const prepared = await tx.query(preparedHere, [insert]) as { name: string }[];
      return { first, second, prepared };
    });
    expect(seen.first).toEqual([{ id: 1, name: 'John Smith' }]);
    expect(seen.second).toEqual([{ id: 2, name: 'Ana Lima' }]);
    expect(seen.prepared).toHaveLength(1);
    expect(seen.prepared[0]!.name).toMatch(/^ll_[0-9a-f]{24}$/);
    expect(await dataSource.query('SELECT id, name FROM visitors ORDER BY id')).toEqual([{ id: 1, name: 'John Smith' }, { id: 2, name: 'Ana Lima' }]);
  });

  it('fails as TypeORM would (QueryFailedError with the driver\'s code), and the transaction rolls back', async () => {
    const failure = dataSource.transaction(async (tx) => {
      await queryPrepared(tx, insert, [3, 'Kept?']);
      await queryPrepared(tx, insert, [1, 'Second John']);
    });
    await expect(failure).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failure).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(await dataSource.query('SELECT id FROM visitors WHERE id = 3')).toEqual([]);
  });

  it('runs outside a transaction too, on the pool', async () => {
    const rows = await queryPrepared<{ n: number }>(dataSource.manager, 'SELECT count(*)::int AS n FROM visitors WHERE name <> $1', ['nobody']);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('gives two texts two names, so neither runs the other\'s statement', async () => {
    const names = await dataSource.transaction(async (tx) => {
      await queryPrepared(tx, 'SELECT name FROM visitors WHERE id = $1', [1]);
      await queryPrepared(tx, 'SELECT name FROM visitors WHERE id = $1 + 1', [1]);
      const rows = await tx.query(`SELECT name FROM pg_prepared_statements WHERE statement LIKE 'SELECT name FROM visitors%'`) as { name: string }[];
      return rows.map((row) => row.name);
    });
    expect(new Set(names).size).toBe(2);
  });

  it('refuses a transaction that is over', async () => {
    let finished: EntityManager | undefined;
    await dataSource.transaction(async (tx) => { finished = tx; });
    await expect(queryPrepared(finished!, 'SELECT 1', [])).rejects.toThrow(/transaction is over/);
  });
});
