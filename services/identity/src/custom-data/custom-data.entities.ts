import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttributeType, AttributeValue } from './attribute-value';

/** The type a custom attribute key has in an account (fixed by its first use). Company keys are `company.<key>`. */
@Entity('attribute_definitions')
export class AttributeDefinition {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text') type!: AttributeType;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

/** One typed key/value the business keeps on a contact. */
@Entity('contact_attributes')
export class ContactAttribute {
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') type!: AttributeType;
  @Column('jsonb') value!: AttributeValue;
  /** `member` or `system`: who set it. */
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** Something the contact did, as the business's systems report it (a page view, a sign-in ...). */
@Entity('contact_events')
export class ContactActivity {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId!: string;
  /** The sender's id for it when given, so a retried report is recorded once. */
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text') name!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export type CompanyAttributes = Record<string, { type: AttributeType; value: AttributeValue }>;

/** A company from the business's company data; contacts belong to at most one. */
@Entity('companies')
export class Company {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  /** The business's own id for the company. */
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('jsonb') attributes!: CompanyAttributes;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
