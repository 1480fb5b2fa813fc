import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The by-contact index covers linked conversations only, in inbox order. Anonymous conversations (most of them,
 * and every new one) are listed through the inbox index; leaving them out of this one spares every visitor message
 * an index entry, since each message writes a new version of its conversation's row.
 */
export class IngestionContactIndex1764000000001 implements MigrationInterface {
  name = 'IngestionContactIndex1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX conversations_contact`);
    await runner.query(`
      CREATE INDEX conversations_contact ON conversations (account_id, contact_id, last_activity_at DESC, id DESC)
      WHERE contact_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX conversations_contact`);
    await runner.query(`CREATE INDEX conversations_contact ON conversations (account_id, contact_id)`);
  }
}
