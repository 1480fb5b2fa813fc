import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FieldSources } from './field-precedence';

export type ContactRole = 'lead' | 'user';

@Entity('contacts')
export class Contact {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  /** `lead` until a verified external user id makes them a `user`. */
  @Column('text') role!: ContactRole;
  @Column('text', { name: 'first_name', nullable: true }) firstName!: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { name: 'postal_code', nullable: true }) postalCode!: string | null;
  /** Who set each profile field (member > system > ai); see field-precedence.ts. */
  @Column('jsonb', { name: 'field_sources', default: () => "'{}'::jsonb" }) fieldSources!: FieldSources;
  /** The company (from the business's company data) this contact belongs to. */
  @Column('uuid', { name: 'company_id', nullable: true }) companyId!: string | null;
  /** The conversation that first produced this contact. */
  @Column('uuid', { name: 'original_conversation_id', nullable: true }) originalConversationId!: string | null;
  /**
   * Set while this contact is merged into another (merge/): it holds nothing any more, is hidden from lists and
   * search, and comes back with an unmerge. Added by identity-resolution (migration 1763800000000).
   */
  @Column('uuid', { name: 'merged_into_id', nullable: true }) mergedIntoId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
