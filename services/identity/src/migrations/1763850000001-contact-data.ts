import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search indexes that stay fast at a million contacts per account, and the business's own data on a contact:
 * typed custom attributes, events (page views ...), and the company a contact belongs to.
 */
export class ContactData1763850000001 implements MigrationInterface {
  name = 'ContactData1763850000001';

  async up(runner: QueryRunner): Promise<void> {
    // The resolver looks identifiers up by account and value (any kind): without this it would walk every
    // identifier of the account in (account_id, kind, value).
    await runner.query(`CREATE INDEX identifiers_account_value ON identifiers (account_id, value)`);
    // Newest first, cursor by id (UUIDv7 = creation order).
    await runner.query(`CREATE INDEX contacts_account_id ON contacts (account_id, id)`);
    // Case-insensitive name prefixes (first, last, "first last"), read in name order then id: a page of a name
    // search is one range scan (contact-search/name-search-sql.ts).
    await runner.query(`CREATE INDEX contacts_first_name_prefix ON contacts (account_id, lower(first_name) text_pattern_ops, id)`);
    await runner.query(`CREATE INDEX contacts_last_name_prefix ON contacts (account_id, lower(last_name) text_pattern_ops, id)`);
    await runner.query(`CREATE INDEX contacts_full_name_prefix ON contacts (account_id, lower(first_name || ' ' || last_name) text_pattern_ops, id)`);

    await runner.query(`
      CREATE TABLE attribute_definitions (
        account_id uuid NOT NULL,
        key text NOT NULL,
        type text NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, key)
      )`);
    await runner.query(`
      CREATE TABLE contact_attributes (
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        key text NOT NULL,
        account_id uuid NOT NULL,
        type text NOT NULL,
        value jsonb NOT NULL,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (contact_id, key)
      )`);
    await runner.query(`
      CREATE TABLE contact_events (
        account_id uuid NOT NULL,
        id uuid NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        name text NOT NULL,
        occurred_at timestamptz NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, id)
      )`);
    await runner.query(`CREATE INDEX contact_events_contact ON contact_events (contact_id, occurred_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE companies (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        external_id text NOT NULL,
        name text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, external_id)
      )`);
    await runner.query(`ALTER TABLE contacts ADD COLUMN company_id uuid REFERENCES companies(id) ON DELETE SET NULL`);
    await runner.query(`CREATE INDEX contacts_company ON contacts (company_id) WHERE company_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE contacts DROP COLUMN company_id`);
    for (const table of ['companies', 'contact_events', 'contact_attributes', 'attribute_definitions']) {
      await runner.query(`DROP TABLE ${table}`);
    }
    for (const index of ['contacts_full_name_prefix', 'contacts_last_name_prefix', 'contacts_first_name_prefix',
      'contacts_account_id', 'identifiers_account_value']) {
      await runner.query(`DROP INDEX ${index}`);
    }
  }
}
