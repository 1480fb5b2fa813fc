import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Members, the contact directory, follow-ups, broadcast deliveries, and the indexes the list filters use. */
export class LeadLifecycle1763800000001 implements MigrationInterface {
  name = 'LeadLifecycle1763800000001';

  async up(runner: QueryRunner): Promise<void> {
    // pg_trgm (trigram text search) and btree_gin (the account id in the same GIN index) live in `public`: an
    // extension exists once per database, and a global advisory lock keeps several services or test runs
    // migrating at once from racing on CREATE EXTENSION.
    await runner.query(`SELECT pg_advisory_xact_lock(hashtext('leadline:extension:pg_trgm'))`);
    await runner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await runner.query('CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public');

    await runner.query(`ALTER TABLE leads ADD COLUMN search_text text NOT NULL DEFAULT ''`);
    await runner.query(`ALTER TABLE leads ADD COLUMN closed_reason text`);
    await runner.query(`UPDATE leads SET search_text = lower(display_name || ' ' || coalesce(contact->>'firstName', '') || ' '
      || coalesce(contact->>'lastName', '') || ' ' || (SELECT coalesce(string_agg(value, ' '), '') FROM jsonb_array_elements_text(contact->'emails'))
      || ' ' || (SELECT coalesce(string_agg(value, ' '), '') FROM jsonb_array_elements_text(contact->'phones')))`);
    // The default list order, with the search text alongside: a text search walks this index in order and tests
    // the text without visiting the table (index-only), so a name that matches nothing costs one index range.
    await runner.query('DROP INDEX leads_list');
    await runner.query('CREATE INDEX leads_list ON leads (account_id, created_at DESC, id DESC) INCLUDE (search_text)');
    await runner.query('CREATE INDEX leads_by_status ON leads (account_id, status, created_at DESC, id DESC)');
    // Counts per status read this index only, whatever the other filters (text aside).
    await runner.query('CREATE INDEX leads_counts ON leads (account_id, status) INCLUDE (active, agent_id, score, channel, created_at)');
    await runner.query('CREATE INDEX leads_by_agent ON leads (account_id, agent_id, created_at DESC, id DESC)');
    await runner.query('CREATE INDEX leads_by_score ON leads (account_id, (coalesce(score, -1)) DESC, id DESC)');
    await runner.query('CREATE INDEX leads_by_update ON leads (account_id, updated_at DESC, id DESC)');
    await runner.query('CREATE INDEX leads_by_contact ON leads (account_id, contact_id, created_at)');
    // Rare text (an email fragment, phone digits): trigrams within the account.
    await runner.query('CREATE INDEX leads_text ON leads USING gin (account_id, search_text public.gin_trgm_ops)');

    await runner.query(`
      CREATE TABLE team_members (
        member_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL,
        version int NOT NULL
      )`);
    await runner.query('CREATE INDEX team_members_account ON team_members (account_id)');

    await runner.query(`
      CREATE TABLE contact_directory (
        contact_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        snapshot jsonb NOT NULL,
        emails text[] NOT NULL,
        phones text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX contact_directory_emails ON contact_directory USING gin (emails)');
    await runner.query('CREATE INDEX contact_directory_phones ON contact_directory USING gin (phones)');
    // What identity did to a contact, so an event that arrives late never brings back an erased or merged one.
    await runner.query(`
      CREATE TABLE contact_fates (
        contact_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        fate text NOT NULL,
        survivor_contact_id uuid,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);

    await runner.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        note text,
        assignee_id uuid,
        created_by uuid,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await runner.query('CREATE INDEX follow_ups_open ON follow_ups (account_id, due_at) WHERE completed_at IS NULL');
    await runner.query('CREATE INDEX follow_ups_lead ON follow_ups (lead_id, due_at)');

    await runner.query(`
      CREATE TABLE broadcast_deliveries (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid,
        lead_id uuid REFERENCES leads(id) ON DELETE SET NULL,
        broadcast_id text NOT NULL,
        recipient text NOT NULL,
        status text NOT NULL,
        campaign text,
        template text,
        error text,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE UNIQUE INDEX broadcast_deliveries_once ON broadcast_deliveries (account_id, broadcast_id, recipient, status)`);
    await runner.query('CREATE INDEX broadcast_deliveries_contact ON broadcast_deliveries (account_id, contact_id, occurred_at)');
    await runner.query('CREATE INDEX broadcast_deliveries_lead ON broadcast_deliveries (lead_id, occurred_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['broadcast_deliveries', 'follow_ups', 'contact_fates', 'contact_directory', 'team_members']) {
      await runner.query(`DROP TABLE ${table}`);
    }
    for (const index of ['leads_by_status', 'leads_counts', 'leads_by_agent', 'leads_by_score', 'leads_by_update', 'leads_by_contact', 'leads_text', 'leads_list']) {
      await runner.query(`DROP INDEX ${index}`);
    }
    await runner.query('CREATE INDEX leads_list ON leads (account_id, created_at DESC, id DESC)');
    await runner.query('ALTER TABLE leads DROP COLUMN search_text, DROP COLUMN closed_reason');
  }
}
