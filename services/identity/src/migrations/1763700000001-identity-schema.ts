import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentitySchema1763700000001 implements MigrationInterface {
  name = 'IdentitySchema1763700000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE account_settings (
        account_id uuid PRIMARY KEY,
        version int NOT NULL,
        matching_policy text NOT NULL,
        fill_fields text[] NOT NULL,
        shared_identifier_limit int NOT NULL,
        identity_secret text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        role text NOT NULL DEFAULT 'lead',
        first_name text,
        last_name text,
        address text,
        postal_code text,
        original_conversation_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX contacts_account ON contacts (account_id, created_at)`);
    // One identifier, one contact, per account: the database enforces it, so racing conversations cannot split a person.
    await runner.query(`
      CREATE TABLE identifiers (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        kind text NOT NULL,
        value text NOT NULL,
        verified boolean NOT NULL DEFAULT false,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, kind, value)
      )`);
    await runner.query(`CREATE INDEX identifiers_contact ON identifiers (contact_id)`);
    await runner.query(`
      CREATE TABLE conversation_links (
        conversation_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        duplicate boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX conversation_links_contact ON conversation_links (contact_id)`);
    await runner.query(`
      CREATE TABLE contact_summaries (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL,
        cycle int NOT NULL,
        summary text NOT NULL,
        signals jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX contact_summaries_contact ON contact_summaries (contact_id, created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['contact_summaries', 'conversation_links', 'identifiers', 'contacts', 'account_settings']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
