import type { ContactField, MatchingPolicy } from '@leadline/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('accounts')
export class Account {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') domain!: string;
  @Column('boolean') active!: boolean;
  @Column('text', { name: 'time_zone' }) timeZone!: string;
  @Column('char', { name: 'default_phone_region', length: 2 }) defaultPhoneRegion!: string;
  @Column('int', { name: 'idle_window_seconds' }) idleWindowSeconds!: number;
  @Column('text', { name: 'matching_policy' }) matchingPolicy!: MatchingPolicy;
  @Column('text', { name: 'fill_fields', array: true }) fillFields!: ContactField[];
  @Column('int', { name: 'shared_identifier_limit' }) sharedIdentifierLimit!: number;
  @Column('text', { name: 'identity_secret' }) identitySecret!: string;
  @Column('int') version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
