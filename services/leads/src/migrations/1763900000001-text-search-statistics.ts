import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The list's text filter (`search_text LIKE '%…%'`) has two good plans: walk the list's index in order and test the
 * text (a common surname: 50 matches come quickly) or collect the matches through the trigram index (a rare email
 * fragment). PostgreSQL estimates how common the text is by matching it against the column's histogram; the default
 * 100 entries hold about no surname, so it took every name for rare and chose the trigram path, 10x slower for common
 * ones at 1M leads (bench/leads). 1,000 entries tell a 2% surname from a one-off email.
 */
export class TextSearchStatistics1763900000001 implements MigrationInterface {
  name = 'TextSearchStatistics1763900000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE leads ALTER COLUMN search_text SET STATISTICS 1000');
    // Only this column's statistics, sampled (not a full scan): seconds even at millions of leads.
    await runner.query('ANALYZE leads (search_text)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE leads ALTER COLUMN search_text SET STATISTICS -1');
  }
}
