import { Client } from 'pg';
import { infrastructure, uniqueTestPrefix } from '@leadline/testing';
import { ensureDatabaseExists } from './service-data-source';

describe('ensureDatabaseExists', () => {
  it('creates a missing database once when many processes race for it', async () => {
    const { databaseUrl } = await infrastructure();
    const name = `leadline_race_${uniqueTestPrefix()}`;
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      // Test files start in parallel on a fresh CI database: every one of them must get through.
      await Promise.all(Array.from({ length: 12 }, () => ensureDatabaseExists(url.toString())));
      const found = await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]);
      expect(found.rows[0].n).toBe(1);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    }
  });
});
