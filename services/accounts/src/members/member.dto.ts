import { MEMBER_ROLES, NOTIFICATION_PREFERENCES, type MemberRole, type NotificationPreference } from '@leadline/contracts';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';

export class CreateMemberDto {
  @IsEmail()
  email!: string;

  @IsString() @Length(1, 200)
  name!: string;

  @IsOptional() @IsIn(MEMBER_ROLES)
  role: MemberRole = 'agent';

  @IsOptional() @IsBoolean()
  salesperson: boolean = false;

  @IsOptional() @IsIn(NOTIFICATION_PREFERENCES)
  notificationPreference: NotificationPreference = 'all';
}

export class UpdateMemberDto {
  @IsOptional() @IsString() @Length(1, 200) name?: string;
  @IsOptional() @IsIn(MEMBER_ROLES) role?: MemberRole;
  @IsOptional() @IsBoolean() salesperson?: boolean;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsIn(NOTIFICATION_PREFERENCES) notificationPreference?: NotificationPreference;
}
