import type { IdentifierKind } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('identifiers')
export class Identifier {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text') kind!: IdentifierKind;
  /** Normalised: e-mail lower-cased, phone in E.164. */
  @Column('text') value!: string;
  @Column('boolean') verified!: boolean;
  /** Where it came from: `webchat`, `extraction`, `email_sender`, `import`, `identify` ... */
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
