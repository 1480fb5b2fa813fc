import type { Actor } from '@leadline/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContactRole } from '../contacts/contact.entity';
import type { MovedCustomData } from '../custom-data/custom-data-moves';
import type { FieldSources, ProfileField } from '../contacts/field-precedence';

/** The survivor as it was before the merge: what an unmerge puts back. */
export interface SurvivorBefore {
  role?: ContactRole;
  fields?: Partial<Record<ProfileField, string | null>>;
  fieldSources?: FieldSources;
}

/** Exactly what moved from the merged contact to the survivor, so an unmerge moves back that and nothing else. */
export interface MovedByMerge {
  identifierIds: string[];
  conversationIds: string[];
  summaryIds: string[];
  filledFields: ProfileField[];
  /** The business's data that followed the merged contact: events, the attributes the survivor lacked, its company.
   * Absent on merges recorded before custom data moved with them. */
  customData?: MovedCustomData;
}

/** The audit record of a merge: who merged which contact into which, when, and what moved. */
@Entity('contact_merges')
export class ContactMerge {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'survivor_id' }) survivorId!: string;
  @Column('uuid', { name: 'merged_id' }) mergedId!: string;
  @Column('jsonb', { name: 'merged_by' }) mergedBy!: Actor;
  /** Emptied when either contact is erased: the audit keeps no personal data of an erased person. */
  @Column('jsonb', { name: 'survivor_before' }) survivorBefore!: SurvivorBefore;
  @Column('jsonb') moved!: MovedByMerge;
  @Column('timestamptz', { name: 'merged_at' }) mergedAt!: Date;
  @Column('timestamptz', { name: 'unmerged_at', nullable: true }) unmergedAt!: Date | null;
  @Column('jsonb', { name: 'unmerged_by', nullable: true }) unmergedBy!: Actor | null;
}

/** How long a merge can be undone. */
export const UNMERGE_WINDOW_DAYS = 30;

/** Whether a merge made at `mergedAt` can still be undone at `now`, and if not, why. */
export function unmergeRefusal(merge: Pick<ContactMerge, 'mergedAt' | 'unmergedAt'>, now: Date): string | undefined {
  if (merge.unmergedAt) return `this merge was already undone at ${merge.unmergedAt.toISOString()}`;
  const ageDays = (now.getTime() - merge.mergedAt.getTime()) / 86_400_000;
  if (ageDays > UNMERGE_WINDOW_DAYS) {
    return `a merge can be undone for ${UNMERGE_WINDOW_DAYS} days; this one was made on ${merge.mergedAt.toISOString()} ` +
      `(${Math.floor(ageDays)} days ago), so the two contacts stay merged: edit or split the contact by hand instead`;
  }
  return undefined;
}
