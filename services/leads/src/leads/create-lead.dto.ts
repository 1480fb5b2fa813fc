import { LEAD_STATUSES, type LeadStatus } from '@leadline/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

/** An integration opens a lead for a contact it names by email or phone (or by id). */
export class CreateLeadDto {
  @ApiPropertyOptional({ format: 'email', description: 'One of email, phone or contactId names the contact' })
  @ValidateIf((dto: CreateLeadDto) => dto.email !== undefined || (dto.phone === undefined && dto.contactId === undefined))
  @IsEmail({}, { message: 'email must be an email address; name the contact by email, phone or contactId' })
  email?: string;

  @ApiPropertyOptional({ example: '+15550100100' })
  @IsOptional() @IsString() @Matches(/^\+?[\d\s().-]{5,32}$/, { message: 'phone must be a phone number such as +15550100100' })
  phone?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES.filter((s) => !['converted', 'lost', 'archived'].includes(s)), default: 'new' })
  @IsOptional() @IsIn(['new', 'contacted', 'qualifying', 'qualified', 'follow_up'], { message: 'status must be an active status (a new lead cannot start closed)' })
  status?: LeadStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Set by hand: the AI never overwrites it' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  score?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'An active member of the account' })
  @IsOptional() @IsUUID()
  agentId?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why the lead was opened, shown as its summary' })
  @IsOptional() @IsString() @MaxLength(2000)
  summary?: string;
}
