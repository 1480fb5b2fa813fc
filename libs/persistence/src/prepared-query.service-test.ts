import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { queryPrepared, withGenericPlan } from './prepared-query';
import { runTransaction } from './transaction';
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

describe('withGenericPlan', () => {
  let under: SchemaUnderTest;
  /** One connection: what a statement leaves behind is there for the next one to see. */
  let single: DataSource;

  beforeAll(async () => {
    under = await schemaUnderTest('generic_plan');
    single = await under.open(1);
    await single.query('CREATE TABLE visitors (id int PRIMARY KEY, name text NOT NULL)');
    await single.query(`INSERT INTO visitors SELECT n, 'visitor ' || n FROM generate_series(1, 50) n`);
  });

  afterAll(async () => {
    await single.destroy();
    await under.drop();
  });

  // Over `unnest` of an array parameter: PostgreSQL's own choice is a new plan on every run.
  const byIds = (tag: string) => `SELECT v.id, v.name FROM unnest($1::int[]) AS k(id) JOIN visitors v ON v.id = k.id ORDER BY v.id -- ${tag}`;
  const plansOf = async (text: string) =>
    (await single.query('SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1', [text]))[0];
  const planCacheMode = async () => (await single.query('SHOW plan_cache_mode'))[0].plan_cache_mode as string;

  it('plans the statement once and reuses the plan whatever the values, where PostgreSQL alone plans every run anew', async () => {
    const alone = byIds('alone');
    const generic = withGenericPlan(byIds('generic'));
    for (let run = 1; run <= 8; run += 1) {
      const ids = [run, run + 10];
      const expected = ids.map((id) => ({ id, name: `visitor ${id}` }));
      expect(await queryPrepared(single.manager, alone, [ids])).toEqual(expected);
      expect(await queryPrepared(single.manager, generic, [ids])).toEqual(expected);
    }
    expect(await plansOf(alone)).toEqual({ generic: 0, custom: 8 });
    expect(await plansOf(generic)).toEqual({ generic: 8, custom: 0 });
    // The setting was for that statement alone.
    expect(await planCacheMode()).toBe('auto');
  });

  it('keeps it so inside a transaction, with its BEGIN and COMMIT on the same round trip', async () => {
    const generic = withGenericPlan(byIds('in a transaction'));
    const [first, modeBetween] = await runTransaction(single, async (tx) => [
      await queryPrepared(tx, generic, [[1, 2]]),
      (await tx.query('SHOW plan_cache_mode'))[0].plan_cache_mode as string,
    ], { finalStatement: () => ({ text: generic, values: [[3]] }) });
    expect(first).toEqual([{ id: 1, name: 'visitor 1' }, { id: 2, name: 'visitor 2' }]);
    expect(modeBetween).toBe('auto');
    expect(await plansOf(generic)).toEqual({ generic: 2, custom: 0 });
    expect(await planCacheMode()).toBe('auto');
  });

  it('leaves the setting as it was when the statement fails, in a transaction or out of one', async () => {
    const failing = withGenericPlan('SELECT 100 / $1::int AS share');
    await expect(queryPrepared(single.manager, failing, [0])).rejects.toMatchObject({ driverError: { code: '22012' } });
    expect(await planCacheMode()).toBe('auto');
    await expect(single.transaction((tx) => queryPrepared(tx, failing, [0]))).rejects.toBeInstanceOf(QueryFailedError);
    expect(await planCacheMode()).toBe('auto');
    expect(await queryPrepared(single.manager, failing, [4])).toEqual([{ share: 25 }]);
  });
});
