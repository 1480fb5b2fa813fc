import type { MemberRole } from '@leadline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The leads service's copy of an account's member, from accounts events: who leads may be assigned to. */
@Entity('team_members')
export class TeamMember {
  @PrimaryColumn('uuid', { name: 'member_id' }) memberId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: MemberRole;
  @Column('boolean') active!: boolean;
  @Column('int') version!: number;
}
