import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadsSchema1763700000001 implements MigrationInterface {
  name = 'LeadsSchema1763700000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        status text NOT NULL,
        active boolean NOT NULL,
        reason text NOT NULL,
        score int,
        score_source text,
        agent_id uuid,
        channel text,
        conversation_id uuid,
        conversation_url text,
        summary text,
        display_name text NOT NULL,
        contact jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A contact has at most one active lead at a time.
    await runner.query(`CREATE UNIQUE INDEX leads_one_active_per_contact ON leads (account_id, contact_id) WHERE active`);
    await runner.query(`CREATE INDEX leads_list ON leads (account_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE lead_history (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL,
        kind text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX lead_history_lead ON lead_history (lead_id, created_at)`);
    await runner.query(`CREATE INDEX lead_history_contact ON lead_history (account_id, contact_id, created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE lead_history');
    await runner.query('DROP TABLE leads');
  }
}
