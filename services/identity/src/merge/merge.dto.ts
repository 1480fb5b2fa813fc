import { IsOptional, IsUUID } from 'class-validator';

export class MergeContactsDto {
  /** The contact merged into the one in the path (the survivor). */
  @IsUUID() otherContactId!: string;
}

export class ListMergesQuery {
  /** Only merges this contact took part in (as survivor or as merged). */
  @IsOptional() @IsUUID() contactId?: string;
}
