import { TestRun } from '@leadline/testing';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildServicePrivately } from './private-build';

/**
 * The migration Job's mode, on the compiled service exactly as the image runs it: MIGRATE_ONLY=true migrates
 * the schema and exits 0 without provisioning consumers or listening.
 */
const ROOT = path.resolve(__dirname, '../..');
const run$ = promisify(execFile);

describe('a service started with MIGRATE_ONLY=true (the migration Job)', () => {
  let run: TestRun;
  let build: Awaited<ReturnType<typeof buildServicePrivately>> | undefined;

  beforeAll(async () => {
    run = await TestRun.start();
    build = await buildServicePrivately('leads');
  });

  afterAll(async () => {
    await run?.cleanup();
    build?.remove();
  });

  it('applies the migrations, starts nothing and exits', async () => {
    const started = Date.now();
    const { stdout } = await run$(process.execPath, [build!.main], {
      cwd: ROOT, timeout: 60_000,
      env: { ...process.env, ...run.env('leads'), PORT: '0', MIGRATE_ONLY: 'true', OTEL_TRACES_EXPORTER: 'none' },
    });
    expect(stdout).toContain('leads: migrations applied');
    expect(stdout).not.toContain('listening');
    expect(Date.now() - started).toBeLessThan(60_000);

    const migrations = await run.query<{ name: string }>(`SELECT name FROM ${run.schema('leads')}.migrations`);
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    const tables = await run.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [run.schema('leads')]);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['leads', 'outbox_events', 'inbox_events']));
    // No consumer was provisioned: the Job must not take work from the running pods' durables.
    const streams: string[] = [];
    for await (const name of run.jsm.streams.names()) if (name.startsWith(`${run.prefix}_`)) streams.push(name);
    expect(streams).toEqual([]);
  });
});
