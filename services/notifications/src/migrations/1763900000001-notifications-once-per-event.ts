import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Nobody is told twice about one thing": at most one notification per member and causing event (the default one
 * or an automation's, whichever comes first), and one delivery per channel, recipient and causing event. Also keeps
 * the contact's fields and latest summary with tracked conversations and leads, so every notification can show them.
 */
export class NotificationsOncePerEvent1763900000001 implements MigrationInterface {
  name = 'NotificationsOncePerEvent1763900000001';

  async up(runner: QueryRunner): Promise<void> {
    await this.addCause(runner, 'notifications', 'member_id');
    await runner.query(`CREATE UNIQUE INDEX notifications_once_per_event ON notifications (member_id, cause_event_id)`);
    await this.addCause(runner, 'deliveries', 'channel, recipient');
    await runner.query(`CREATE UNIQUE INDEX deliveries_once_per_event ON deliveries (channel, recipient, cause_event_id)`);
    for (const table of ['tracked_conversations', 'tracked_leads']) {
      await runner.query(`ALTER TABLE ${table} ADD COLUMN contact jsonb, ADD COLUMN summary text`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['tracked_conversations', 'tracked_leads']) {
      await runner.query(`ALTER TABLE ${table} DROP COLUMN contact, DROP COLUMN summary`);
    }
    await runner.query('DROP INDEX deliveries_once_per_event');
    await runner.query('ALTER TABLE deliveries DROP COLUMN cause_event_id');
    await runner.query('DROP INDEX notifications_once_per_event');
    await runner.query('ALTER TABLE notifications DROP COLUMN cause_event_id');
  }

  /** The causing event of existing rows is their source event without the automation suffix. */
  private async addCause(runner: QueryRunner, table: string, key: string): Promise<void> {
    await runner.query(`ALTER TABLE ${table} ADD COLUMN cause_event_id text`);
    await runner.query(`UPDATE ${table} SET cause_event_id = split_part(source_event_id, '/rule/', 1)`);
    // Rows from before this rule that told one recipient twice about one event stay, each under its own key.
    await runner.query(
      `UPDATE ${table} t SET cause_event_id = t.source_event_id || '#' || t.id
       FROM (SELECT id, row_number() OVER (PARTITION BY ${key}, cause_event_id ORDER BY created_at, id) AS n FROM ${table}) r
       WHERE r.id = t.id AND r.n > 1`);
    await runner.query(`ALTER TABLE ${table} ALTER COLUMN cause_event_id SET NOT NULL`);
  }
}
