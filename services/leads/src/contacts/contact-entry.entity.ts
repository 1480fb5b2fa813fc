import type { ContactSnapshotDto } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The leads service's copy of a contact, from identity events: lets an integration name a contact by email or phone. */
@Entity('contact_directory')
export class ContactEntry {
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('jsonb') snapshot!: ContactSnapshotDto;
  /** Lower-case. */
  @Column('text', { array: true }) emails!: string[];
  /** Digits with a leading "+" when given. */
  @Column('text', { array: true }) phones!: string[];
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** What identity did to a contact: erased, or merged into a survivor. */
@Entity('contact_fates')
export class ContactFate {
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') fate!: 'erased' | 'merged';
  @Column('uuid', { name: 'survivor_contact_id', nullable: true }) survivorContactId!: string | null;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
}
