import type { MemberRole, NotificationPreference } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Notifications' copy of an account's member, with their preference. */
@Entity('team_members')
export class TeamMember {
  @PrimaryColumn('uuid', { name: 'member_id' }) memberId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: MemberRole;
  @Column('boolean') active!: boolean;
  @Column('boolean') salesperson!: boolean;
  @Column('text') preference!: NotificationPreference;
  @Column('int') version!: number;
  /** Set once the preference was chosen here; member events then keep it. */
  @Column('timestamptz', { name: 'preference_set_at', nullable: true }) preferenceSetAt!: Date | null;
}
