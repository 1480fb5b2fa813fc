import { Client } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { queryPrepared, queryPreparedTogether, withGenericPlan } from './prepared-query';
import { schemaUnderTest, type SchemaUnderTest } from './schema-under-test';
import { runTransaction } from './transaction';

describe('runTransaction', () => {
  let under: SchemaUnderTest;
  let dataSource: DataSource;
  let schema: string;
  let sent: string[];
  let querySpy: jest.SpyInstance;
  let observer: Client;

  beforeAll(async () => {
    under = await schemaUnderTest('transaction');
    ({ dataSource, schema } = under);
    await dataSource.query('CREATE TABLE visitors (id int PRIMARY KEY, name text NOT NULL, txid bigint NOT NULL)');
    observer = new Client({ connectionString: under.databaseUrl });
    await observer.connect();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE visitors');
    // What each call to a connection sends: one call is one round trip.
    sent = [];
    querySpy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      sent.push(describeCall(args[0]));
      return (original as (...a: unknown[]) => never).apply(this, args);
    });
  });

  afterEach(() => querySpy.mockRestore());

  afterAll(async () => {
    await observer.end();
    await under.drop();
  });

  const original = Client.prototype.query;
  const insert = 'INSERT INTO visitors (id, name, txid) VALUES ($1, $2, txid_current()) RETURNING id, name';
  const lastInsert = { text: insert, values: [2, 'Ana Lima'] };
  /** What is committed, read on a connection of its own (the pool's could still be inside a transaction). */
  const stored = async () => (await observer.query(`SELECT id, name FROM "${schema}".visitors ORDER BY id`)).rows as { id: number; name: string }[];
  const transactionIds = async () => (await observer.query(`SELECT DISTINCT txid FROM "${schema}".visitors`)).rows;

  it('sends BEGIN with the first statement and COMMIT with the last: two round trips for two statements', async () => {
    const first = await runTransaction(dataSource, (tx) => queryPrepared(tx, insert, [1, 'John Smith']), { finalStatement: () => lastInsert });
    expect(first).toEqual([{ id: 1, name: 'John Smith' }]);
    expect(sent).toEqual(['BEGIN + statement', 'statement + COMMIT']);
    expect(await stored()).toEqual([{ id: 1, name: 'John Smith' }, { id: 2, name: 'Ana Lima' }]);
    // One transaction, not two: both rows carry the same transaction id.
    expect(await transactionIds()).toHaveLength(1);
  });

  it('sends BEGIN, the statement and COMMIT in one round trip when the last statement is the only one', async () => {
    await runTransaction(dataSource, async () => 'nothing else', { finalStatement: () => lastInsert });
    expect(sent).toEqual(['BEGIN + statement + COMMIT']);
    expect(await stored()).toEqual([{ id: 2, name: 'Ana Lima' }]);
  });

  it('sends nothing for work that sends nothing, and answers its result', async () => {
    expect(await runTransaction(dataSource, async () => 42)).toBe(42);
    expect(sent).toEqual([]);
  });

  it('commits on its own when there is no last statement', async () => {
    await runTransaction(dataSource, (tx) => queryPrepared(tx, insert, [1, 'John Smith']));
    expect(sent).toEqual(['BEGIN + statement', 'COMMIT']);
    expect(await stored()).toEqual([{ id: 1, name: 'John Smith' }]);
  });

  it('keeps statements sent at once in the transaction, in the order they were sent', async () => {
    await runTransaction(dataSource, async (tx) => {
      await Promise.all([queryPrepared(tx, insert, [1, 'John Smith']), tx.query('INSERT INTO visitors (id, name, txid) VALUES (3, $1, txid_current())', ['Li Wei'])]);
    }, { finalStatement: () => lastInsert });
    expect(sent[0]).toBe('BEGIN + statement');
    expect(await stored()).toHaveLength(3);
    expect(await transactionIds()).toHaveLength(1);
  });

  it('sends a BEGIN of its own before a first statement sent through TypeORM', async () => {
    await runTransaction(dataSource, async (tx) => {
      await tx.query('INSERT INTO visitors (id, name, txid) VALUES (1, $1, txid_current())', ['John Smith']);
    }, { finalStatement: () => lastInsert });
    expect(sent).toEqual(['BEGIN', 'INSERT INTO visitors (id, name, txid) VALUES (1, $1, txid_current())', 'statement + COMMIT']);
    expect(await transactionIds()).toHaveLength(1);
  });

  it('rolls everything back when the last statement fails, fails as TypeORM would, and the connection works on', async () => {
    const failure = runTransaction(dataSource, (tx) => queryPrepared(tx, insert, [1, 'John Smith']),
      { finalStatement: () => ({ text: insert, values: [1, 'Second John'] }) });
    await expect(failure).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failure).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(sent).toEqual(['BEGIN + statement', 'statement + COMMIT', 'ROLLBACK']);
    expect(await stored()).toEqual([]);
    // Both pooled connections are usable afterwards (none was left inside an aborted transaction).
    for (let n = 0; n < 3; n += 1) await runTransaction(dataSource, async () => undefined, { finalStatement: () => ({ text: insert, values: [10 + n, 'Next'] }) });
    expect(await stored()).toHaveLength(3);
  });

  it('rolls back when the first statement fails, or when the work throws after its statements', async () => {
    await dataSource.query(`INSERT INTO visitors VALUES (1, 'John Smith', 0)`);
    const duplicate = runTransaction(dataSource, (tx) => queryPrepared(tx, insert, [1, 'Second John']), { finalStatement: () => lastInsert });
    await expect(duplicate).rejects.toMatchObject({ driverError: { code: '23505' } });
    const thrown = runTransaction(dataSource, async (tx) => {
      await queryPrepared(tx, insert, [3, 'Li Wei']);
      throw new Error('the handler changed its mind');
    }, { finalStatement: () => lastInsert });
    await expect(thrown).rejects.toThrow('the handler changed its mind');
    expect(sent.filter((call) => call === 'ROLLBACK')).toHaveLength(2);
    expect(await stored()).toEqual([{ id: 1, name: 'John Smith' }]);
  });

  it('prepares a statement again after it failed to parse (its table was missing), on the same connection', async () => {
    const single = await under.open(1);
    try {
      const late = 'INSERT INTO late_arrivals (id) VALUES ($1) RETURNING id';
      const attempt = (id: number) => runTransaction(single, (tx) => queryPrepared<{ id: number }>(tx, late, [id]), { finalStatement: () => lastInsert });
      await expect(attempt(1)).rejects.toThrow(/late_arrivals/);
      await single.query('CREATE TABLE late_arrivals (id int PRIMARY KEY)');
      // Not "prepared statement … does not exist": the failed Parse did not pass for a prepared statement.
      await expect(attempt(2)).resolves.toEqual([{ id: 2 }]);
      await expect(attempt(3)).rejects.toMatchObject({ driverError: { code: '23505' } }); // lastInsert's id 2 is there
      expect(await single.query('SELECT id FROM late_arrivals')).toEqual([{ id: 2 }]);
    } finally {
      await single.destroy();
    }
  });

  it('keeps TypeORM\'s nested transactions working (savepoints inside it): a failed inner one is undone alone', async () => {
    await runTransaction(dataSource, async (tx) => {
      await tx.transaction((inner) => queryPrepared(inner, insert, [1, 'John Smith']));
      await expect(tx.transaction(async (inner) => {
        await queryPrepared(inner, insert, [3, 'Li Wei']);
        throw new Error('the inner work changed its mind');
      })).rejects.toThrow('the inner work changed its mind');
    }, { finalStatement: () => lastInsert });
    expect(sent.slice(0, 2)).toEqual(['BEGIN', 'SAVEPOINT typeorm_1']);
    expect(await stored()).toEqual([{ id: 1, name: 'John Smith' }, { id: 2, name: 'Ana Lima' }]);
    expect(await transactionIds()).toHaveLength(1);
  });

  describe('queryPreparedTogether', () => {
    const count = 'SELECT count(*)::int AS n, txid_current() AS txid FROM visitors';

    it('sends statements that need not wait for each other in one round trip with the BEGIN, each seeing the ones before', async () => {
      const single = await under.open(1);
      sent.length = 0; // what opening it sent
      try {
        const together = (id: number) => runTransaction(single, (tx) => queryPreparedTogether(tx, [
          { text: insert, values: [id, `visitor ${id}`] }, { text: count, values: [] },
        ]), { finalStatement: () => ({ text: insert, values: [id + 100, 'after'] }) });
        const [inserted, counted] = await together(1);
        expect(inserted).toEqual([{ id: 1, name: 'visitor 1' }]);
        expect(counted).toMatchObject([{ n: 1 }]);
        // The first time on a connection, the earlier statement is prepared in a round trip of its own.
        expect(sent).toEqual(['parse', 'BEGIN + 2 statements', 'statement + COMMIT']);
        sent.length = 0;
        await together(2);
        expect(sent).toEqual(['BEGIN + 2 statements', 'statement + COMMIT']);
        expect(await stored()).toHaveLength(4);
        expect(await transactionIds()).toHaveLength(2);
      } finally {
        await single.destroy();
      }
    });

    it('gives each statement its own answer, a generic-plan one among them', async () => {
      const byIds = withGenericPlan('SELECT v.id FROM unnest($1::int[]) AS k(id) JOIN visitors v ON v.id = k.id ORDER BY v.id');
      const answers = await runTransaction(dataSource, (tx) => queryPreparedTogether(tx, [
        { text: insert, values: [1, 'John Smith'] }, { text: byIds, values: [[1, 2]] }, { text: insert, values: [2, 'Ana Lima'] }, { text: byIds, values: [[1, 2]] },
      ]));
      expect(answers.map((rows) => rows.map((row) => row['id']))).toEqual([[1], [1], [2], [1, 2]]);
    });

    it('runs nothing after a statement that fails, fails as TypeORM would, and rolls back', async () => {
      await dataSource.query(`INSERT INTO visitors VALUES (1, 'John Smith', 0)`);
      const failure = runTransaction(dataSource, (tx) => queryPreparedTogether(tx, [
        { text: insert, values: [3, 'Li Wei'] }, { text: insert, values: [1, 'Second John'] }, { text: insert, values: [4, 'Never'] },
      ]));
      await expect(failure).rejects.toBeInstanceOf(QueryFailedError);
      await expect(failure).rejects.toMatchObject({ driverError: { code: '23505' } });
      expect(await stored()).toEqual([{ id: 1, name: 'John Smith' }]);
    });

    it('reports a statement that cannot be prepared for what it is, and prepares it once it can be', async () => {
      const single = await under.open(1);
      try {
        const early = 'INSERT INTO early_arrivals (id) VALUES ($1) RETURNING id';
        const attempt = (id: number) => runTransaction(single, (tx) => queryPreparedTogether(tx, [{ text: early, values: [id] }, { text: count, values: [] }]));
        await expect(attempt(1)).rejects.toThrow(/relation "early_arrivals" does not exist/);
        await single.query('CREATE TABLE early_arrivals (id int PRIMARY KEY)');
        const [arrived] = await attempt(2);
        expect(arrived).toEqual([{ id: 2 }]);
        await attempt(3);
        expect(await single.query('SELECT id FROM early_arrivals ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }]);
      } finally {
        await single.destroy();
      }
    });

    it('runs them one after the other in a transaction it did not open', async () => {
      const [inserted, counted] = await dataSource.transaction((tx) => queryPreparedTogether(tx, [
        { text: insert, values: [1, 'John Smith'] }, { text: count, values: [] },
      ]));
      expect(inserted).toEqual([{ id: 1, name: 'John Smith' }]);
      expect(counted).toMatchObject([{ n: 1 }]);
      expect(sent.filter((call) => call.includes('statements'))).toEqual([]);
    });
  });

  it('refuses statements once it is over', async () => {
    let over: Parameters<Parameters<typeof runTransaction>[1]>[0] | undefined;
    await runTransaction(dataSource, async (tx) => { over = tx; });
    await expect(queryPrepared(over!, 'SELECT 1', [])).rejects.toThrow(/transaction is over/);
  });
});

/**
 * A pg query call as the commands it carries: a plain text, a Parse alone, or prepared statements with BEGIN and/or
 * COMMIT.
 */
function describeCall(query: unknown): string {
  if (typeof query === 'string') return query;
  if ((query as object).constructor.name === 'ParseOnly') return 'parse';
  const pipeline = query as { around?: { begin: boolean; commit: boolean }; earlier?: unknown[] };
  const around = pipeline.around ?? { begin: false, commit: false };
  const statements = (pipeline.earlier?.length ?? 0) + 1;
  return [around.begin ? 'BEGIN' : '', statements > 1 ? `${statements} statements` : 'statement', around.commit ? 'COMMIT' : ''].filter(Boolean).join(' + ');
}
