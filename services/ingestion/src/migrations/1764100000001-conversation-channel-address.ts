import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account's channel a conversation came in on (widget key, SMS or voice number, email address): an account may
 * have several channels of one kind, each with its own capture settings. Null for conversations stored before.
 */
export class ConversationChannelAddress1764100000001 implements MigrationInterface {
  name = 'ConversationChannelAddress1764100000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE conversations ADD COLUMN channel_address text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE conversations DROP COLUMN channel_address`);
  }
}
