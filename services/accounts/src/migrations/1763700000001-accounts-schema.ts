import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountsSchema1763700000001 implements MigrationInterface {
  name = 'AccountsSchema1763700000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        domain text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        time_zone text NOT NULL,
        default_phone_region char(2) NOT NULL,
        idle_window_seconds int NOT NULL,
        matching_policy text NOT NULL,
        fill_fields text[] NOT NULL,
        shared_identifier_limit int NOT NULL,
        identity_secret text NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE channel_settings (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind text NOT NULL,
        address text NOT NULL,
        capture_leads boolean NOT NULL,
        capture_fields text[] NOT NULL,
        auth_token text,
        UNIQUE (kind, address)
      )`);
    await runner.query(`CREATE INDEX channel_settings_account ON channel_settings (account_id)`);
    await runner.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        salesperson boolean NOT NULL DEFAULT false,
        notification_preference text NOT NULL,
        version int NOT NULL,
        UNIQUE (account_id, email)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE members');
    await runner.query('DROP TABLE channel_settings');
    await runner.query('DROP TABLE accounts');
  }
}
