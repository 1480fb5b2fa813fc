import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class CreateApiKeyDto {
  /** What the key is for, so an admin knows which one to revoke ("CRM sync"). */
  @IsString() @Length(1, 200)
  name!: string;
}

export class CreateSessionDto {
  /** The member to sign in; without it, a system caller exchanges its API key for a short-lived token. */
  @IsOptional() @IsUUID()
  memberId?: string;
}
