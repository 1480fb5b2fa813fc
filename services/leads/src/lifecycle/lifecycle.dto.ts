import { LEAD_STATUSES, type LeadStatus } from '@leadline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export class ChangeStatusDto {
  @ApiProperty({ enum: LEAD_STATUSES, description: 'Converted, Lost and Archived are final: the lead becomes inactive' })
  @IsIn(LEAD_STATUSES)
  status!: LeadStatus;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why, shown in the timeline' })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class AssignDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'An active member of the account; null unassigns' })
  @ValidateIf((dto: AssignDto) => dto.agentId !== null)
  @IsUUID()
  agentId!: string | null;
}

export class SetScoreDto {
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Set by hand (source manual): the AI never overwrites it afterwards' })
  @IsInt() @Min(0) @Max(100)
  score!: number;
}
