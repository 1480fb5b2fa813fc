import type { MemberRole, NotificationPreference } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('members')
export class Member {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: MemberRole;
  @Column('boolean') active!: boolean;
  @Column('boolean') salesperson!: boolean;
  @Column('text', { name: 'notification_preference' }) notificationPreference!: NotificationPreference;
  @Column('int') version!: number;
}
