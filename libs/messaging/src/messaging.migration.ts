import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (events waiting to be published) and the inbox (events already handled, per consumer).
 * Every service that publishes or consumes includes this migration; tables live in the service's schema.
 */
export class MessagingTables1763700000000 implements MigrationInterface {
  name = 'MessagingTables1763700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_events (
        id uuid PRIMARY KEY,
        subject text NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        ce_subject text,
        payload jsonb NOT NULL,
        trace_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await runner.query(`CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE sent_at IS NULL`);
    await runner.query(`CREATE INDEX outbox_events_sent ON outbox_events (sent_at) WHERE sent_at IS NOT NULL`);
    await runner.query(`
      CREATE TABLE inbox_events (
        consumer text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox_events');
    await runner.query('DROP TABLE outbox_events');
  }
}
