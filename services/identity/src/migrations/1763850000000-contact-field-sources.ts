import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Field precedence (member > system > ai) needs to know who set each contact field; phone numbers in any
 * format need the account's default region to become E.164.
 */
export class ContactFieldSources1763850000000 implements MigrationInterface {
  name = 'ContactFieldSources1763850000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE contacts ADD COLUMN field_sources jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await runner.query(`ALTER TABLE account_settings ADD COLUMN default_phone_region text NOT NULL DEFAULT 'US'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE account_settings DROP COLUMN default_phone_region`);
    await runner.query(`ALTER TABLE contacts DROP COLUMN field_sources`);
  }
}
