import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every channel in: message details (email subject, quoted history, signature, media), the trace context of the
 * request that brought each message, closing, web chat visitor sessions, and conversations whose visitor address
 * was let go (a widget shutdown or an erasure) so the next visitor on that address starts afresh.
 */
export class IngestionChannels1763800000001 implements MigrationInterface {
  name = 'IngestionChannels1763800000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE messages
        ADD COLUMN subject text,
        ADD COLUMN quoted_text text,
        ADD COLUMN signature_text text,
        ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN trace_headers jsonb NOT NULL DEFAULT '{}'`);
    await runner.query(`
      ALTER TABLE conversations
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN detached_at timestamptz`);
    // One conversation per visitor address among those still attached to it.
    await runner.query(`ALTER TABLE conversations DROP CONSTRAINT conversations_account_id_channel_visitor_key_key`);
    await runner.query(`
      CREATE UNIQUE INDEX conversations_visitor ON conversations (account_id, channel, visitor_key)
      WHERE detached_at IS NULL`);
    await runner.query(`CREATE INDEX conversations_original ON conversations (original_conversation_id)
      WHERE original_conversation_id IS NOT NULL`);
    await runner.query(`
      CREATE TABLE visitor_sessions (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        widget_key text NOT NULL,
        device_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        external_user_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await runner.query(`CREATE INDEX visitor_sessions_device ON visitor_sessions (account_id, device_id) WHERE ended_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE visitor_sessions`);
    await runner.query(`DROP INDEX conversations_original`);
    await runner.query(`DROP INDEX conversations_visitor`);
    await runner.query(`ALTER TABLE conversations ADD CONSTRAINT conversations_account_id_channel_visitor_key_key
      UNIQUE (account_id, channel, visitor_key)`);
    await runner.query(`ALTER TABLE conversations DROP COLUMN closed_at, DROP COLUMN detached_at`);
    await runner.query(`ALTER TABLE messages DROP COLUMN subject, DROP COLUMN quoted_text, DROP COLUMN signature_text,
      DROP COLUMN attachments, DROP COLUMN trace_headers`);
  }
}
