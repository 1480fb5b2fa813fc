import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SUGGESTION_STATUSES = ['open', 'dismissed', 'merged'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Where a suggestion came from: a resolution guard that refused to link, the probabilistic scorer, or identify. */
export type SuggestionSource = 'resolution' | 'scorer' | 'identify';

/** One piece of evidence, as shown to the member reviewing the pair. */
export interface SuggestionReason {
  field: string;
  text: string;
  /** Match weight in bits for scorer reasons (positive: same person). */
  weight?: number;
}

/** Two contacts that are probably one person, waiting for a member to merge or dismiss them. */
@Entity('duplicate_suggestions')
export class DuplicateSuggestion {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  /** The pair is stored in id order, so it is recorded once whichever side found it. */
  @Column('uuid', { name: 'contact_a_id' }) contactAId!: string;
  @Column('uuid', { name: 'contact_b_id' }) contactBId!: string;
  @Column('text') source!: SuggestionSource;
  @Column('double precision', { nullable: true }) probability!: number | null;
  @Column('jsonb') reasons!: SuggestionReason[];
  @Column('text') status!: SuggestionStatus;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
