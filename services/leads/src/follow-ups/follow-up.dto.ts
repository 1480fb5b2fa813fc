import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class CreateFollowUpDto {
  @ApiProperty({ format: 'date-time', description: 'When to get back to the lead' })
  @IsISO8601({ strict: true })
  dueAt!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An active member; default the lead\'s agent, else the member asking' })
  @IsOptional() @IsUUID()
  assigneeId?: string;
}

export const FOLLOW_UP_WHEN = ['due', 'overdue'] as const;

export class FollowUpListQueryDto {
  @ApiProperty({ enum: FOLLOW_UP_WHEN, description: 'overdue: open and past its time; due: open and due within `withinHours` from now' })
  @IsIn(FOLLOW_UP_WHEN)
  when!: (typeof FOLLOW_UP_WHEN)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 720, default: 24 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(720)
  withinHours?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this member\'s follow-ups' })
  @IsOptional() @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class FollowUpView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ format: 'uuid' }) contactId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiPropertyOptional({ description: 'The lead\'s contact, in lists' }) displayName?: string;
}
