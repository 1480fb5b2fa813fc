import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IngestionSchema1763700000001 implements MigrationInterface {
  name = 'IngestionSchema1763700000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE account_snapshots (
        account_id uuid PRIMARY KEY,
        version int NOT NULL,
        settings jsonb NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE channel_routes (
        kind text NOT NULL,
        address text NOT NULL,
        account_id uuid NOT NULL,
        PRIMARY KEY (kind, address)
      )`);
    await runner.query(`CREATE INDEX channel_routes_account ON channel_routes (account_id)`);
    await runner.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        channel text NOT NULL,
        visitor_key text NOT NULL,
        identifiers jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open',
        contact_id uuid,
        original_conversation_id uuid,
        idle_deadline timestamptz,
        idle_cycle int NOT NULL DEFAULT 0,
        last_idle_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, channel, visitor_key)
      )`);
    await runner.query(`CREATE INDEX conversations_idle ON conversations (idle_deadline) WHERE idle_deadline IS NOT NULL`);
    await runner.query(`CREATE INDEX conversations_inbox ON conversations (account_id, last_activity_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX conversations_contact ON conversations (account_id, contact_id)`);
    await runner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        channel text NOT NULL,
        author text NOT NULL,
        member_id uuid,
        text text NOT NULL,
        provider_message_id text NOT NULL,
        sent_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, channel, provider_message_id)
      )`);
    await runner.query(`CREATE INDEX messages_conversation ON messages (conversation_id, created_at, id)`);
    await runner.query(`
      CREATE TABLE conversation_events (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        kind text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX conversation_events_conversation ON conversation_events (conversation_id, created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['conversation_events', 'messages', 'conversations', 'channel_routes', 'account_snapshots']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
