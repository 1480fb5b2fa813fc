import { Column, Entity, PrimaryColumn } from 'typeorm';

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
  /** The conversation that first produced this contact. */
  @Column('uuid', { name: 'original_conversation_id', nullable: true }) originalConversationId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
