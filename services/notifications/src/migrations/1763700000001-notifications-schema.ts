import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsSchema1763700000001 implements MigrationInterface {
  name = 'NotificationsSchema1763700000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE team_members (
        member_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL,
        salesperson boolean NOT NULL,
        preference text NOT NULL,
        version int NOT NULL
      )`);
    await runner.query(`CREATE INDEX team_members_account ON team_members (account_id)`);
    await runner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        member_id uuid NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        body jsonb NOT NULL,
        conversation_id uuid,
        contact_id uuid,
        source_event_id text NOT NULL,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (member_id, source_event_id, kind)
      )`);
    await runner.query(`CREATE INDEX notifications_member ON notifications (account_id, member_id, created_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notifications');
    await runner.query('DROP TABLE team_members');
  }
}
