import type { Channel } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which account a widget key, number or inbound address belongs to. */
@Entity('channel_routes')
export class ChannelRoute {
  @PrimaryColumn('text') kind!: Channel;
  @PrimaryColumn('text') address!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
}
