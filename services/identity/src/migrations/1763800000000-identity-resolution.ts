import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resolution guards, duplicate suggestions, merges and erasures:
 * - `identifier_claims`: every contact whose conversations claimed an identifier, including those that do not
 *   hold it (identifiers are unique per account), so a shared office phone can be recognised and stop linking.
 * - `duplicate_suggestions`: pairs to review, from resolution guards and from the probabilistic scorer.
 * - `contact_merges`: the audit record of a merge, with what moved, so it can be undone within 30 days.
 * - `contact_erasures`: which contact was erased when and by whom, without any personal data.
 * - `contacts.merged_into_id`: a merged contact is kept (hidden) so an unmerge can restore it.
 */
export class IdentityResolution1763800000000 implements MigrationInterface {
  name = 'IdentityResolution1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE contacts ADD COLUMN merged_into_id uuid REFERENCES contacts(id) ON DELETE SET NULL`);
    await runner.query(`CREATE INDEX contacts_merged_into ON contacts (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await runner.query(`
      CREATE TABLE identifier_claims (
        account_id uuid NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, kind, value, contact_id)
      )`);
    await runner.query(`CREATE INDEX identifier_claims_contact ON identifier_claims (contact_id)`);
    await runner.query(`
      CREATE TABLE duplicate_suggestions (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_a_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        contact_b_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        source text NOT NULL,
        probability double precision,
        reasons jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (contact_a_id < contact_b_id),
        UNIQUE (account_id, contact_a_id, contact_b_id)
      )`);
    await runner.query(`CREATE INDEX duplicate_suggestions_review ON duplicate_suggestions (account_id, status, created_at DESC)`);
    await runner.query(`CREATE INDEX duplicate_suggestions_b ON duplicate_suggestions (contact_b_id)`);
    await runner.query(`
      CREATE TABLE contact_merges (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        survivor_id uuid NOT NULL,
        merged_id uuid NOT NULL,
        merged_by jsonb NOT NULL,
        survivor_before jsonb NOT NULL,
        moved jsonb NOT NULL,
        merged_at timestamptz NOT NULL,
        unmerged_at timestamptz,
        unmerged_by jsonb
      )`);
    await runner.query(`CREATE INDEX contact_merges_survivor ON contact_merges (account_id, survivor_id, merged_at DESC)`);
    await runner.query(`CREATE INDEX contact_merges_merged ON contact_merges (account_id, merged_id, merged_at DESC)`);
    await runner.query(`
      CREATE TABLE contact_erasures (
        contact_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        erased_by jsonb NOT NULL,
        erased_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['contact_erasures', 'contact_merges', 'duplicate_suggestions', 'identifier_claims']) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query(`ALTER TABLE contacts DROP COLUMN merged_into_id`);
  }
}
