import type { Actor } from '@leadline/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** That a contact was erased, when and by whom: no personal data, only ids. */
@Entity('contact_erasures')
export class ContactErasure {
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('jsonb', { name: 'erased_by' }) erasedBy!: Actor;
  @Column('timestamptz', { name: 'erased_at' }) erasedAt!: Date;
}
