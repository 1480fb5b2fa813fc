import type { Channel, ContactField } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('channel_settings')
export class ChannelSetting {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') kind!: Channel;
  @Column('text') address!: string;
  @Column('boolean', { name: 'capture_leads' }) captureLeads!: boolean;
  @Column('text', { name: 'capture_fields', array: true }) captureFields!: ContactField[];
  @Column('text', { name: 'auth_token', nullable: true }) authToken!: string | null;
}
