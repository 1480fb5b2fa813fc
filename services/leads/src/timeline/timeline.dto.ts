import {
  BROADCAST_DELIVERY_STATUSES, type BroadcastDeliveryStatus,
} from '@leadline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { LEAD_HISTORY_KINDS } from '../leads/lead-history.entity';

export class NoteDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @IsString() @MinLength(1) @MaxLength(5000)
  text!: string;
}

/** Same fields as the broadcasts.v1.delivery.updated event, for broadcast systems that call rather than publish. */
export class BroadcastDeliveryDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @MaxLength(200) broadcastId!: string;
  @ApiProperty({ enum: BROADCAST_DELIVERY_STATUSES }) @IsIn(BROADCAST_DELIVERY_STATUSES) status!: BroadcastDeliveryStatus;
  /** A delivery that names nobody could never join a timeline: one of contactId, email or phone is required. */
  @ApiPropertyOptional({ format: 'uuid', description: 'The contact; else it is found by email or phone (one of the three is required)' })
  @ValidateIf((dto: BroadcastDeliveryDto) => dto.contactId !== undefined || (dto.email === undefined && dto.phone === undefined))
  @IsUUID('all', { message: 'contactId must be a contact UUID; name the recipient by contactId, email or phone' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'email' }) @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ maxLength: 32, example: '+15550100100' })
  @IsOptional() @IsString() @Matches(/^\+?[\d\s().-]{5,32}$/, { message: 'phone must be a phone number such as +15550100100' })
  phone?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) campaign?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) template?: string;
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why it failed' }) @IsOptional() @IsString() @MaxLength(2000) error?: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) occurredAt!: string;
}

export const TIMELINE_KINDS = [...LEAD_HISTORY_KINDS, 'broadcast'] as const;

export class TimelineEntryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The lead it belongs to (a broadcast to a contact without lead has none)' }) leadId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId!: string | null;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What happened: depends on the kind (see the README)' })
  data!: Record<string, unknown>;
}

export class BroadcastDeliveryView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when nothing was kept (the contact was erased)' }) id!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId!: string | null;
  @ApiProperty({ description: 'false when it was already recorded (same broadcast, recipient and status)' }) recorded!: boolean;
}
