import type { AccountUpdated } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ingestion's copy of an account's settings, kept from `accounts.v1.account.updated`. */
@Entity('account_snapshots')
export class AccountSnapshot {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId!: string;
  @Column('int') version!: number;
  @Column('jsonb') settings!: AccountUpdated;
}
