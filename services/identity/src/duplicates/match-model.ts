import { FIELD_COUNT, FIELD_LEVELS, FIELD_NAMES, MISSING, type FieldName } from './comparison-fields';

// Math's functions bound once: in a VM context (Jest) every `Math.x` is a slow global lookup.
const { log2, pow } = Math;

export interface LevelProbabilities {
  level: string;
  /** P(this level | same person) */
  m: number;
  /** P(this level | different people) */
  u: number;
}

/**
 * A Fellegi-Sunter model: m and u per comparison level of every field, and the prior chance
 * that a pair found by blocking is one person. It is plain data, so the identity service can
 * keep one per account (estimated from its contacts) and score new contacts against it.
 */
export interface MatchModel {
  fields: Record<FieldName, LevelProbabilities[]>;
  /**
   * P(same person) for two contacts of the account drawn at random, before their fields are
   * looked at. It is tiny, and blocking does not change it: the agreement that blocking
   * selects on is already counted by the fields' match weights.
   */
  priorMatchProbability: number;
}

/**
 * The fixed priors of comparison-fields.ts. The prior of 1 in 10,000 random pairs is, for an
 * account of 2,000 contacts (2 million pairs), 200 duplicate pairs: about one contact in ten
 * entered twice. `estimateModel` replaces all of this with values learnt from the contacts.
 */
export function defaultMatchModel(): MatchModel {
  const fields = {} as Record<FieldName, LevelProbabilities[]>;
  for (const name of FIELD_NAMES) fields[name] = FIELD_LEVELS[name].map((l) => ({ ...l }));
  return { fields, priorMatchProbability: 1e-4 };
}

/** log2(m/u) per field (in FIELD_NAMES order) per level: the evidence each level carries. */
export function matchWeights(model: MatchModel): number[][] {
  return FIELD_NAMES.map((name) => model.fields[name].map(({ m, u }) => log2(m / u)));
}

export const logOdds = (probability: number): number => log2(probability / (1 - probability));

export const probabilityFromWeight = (weight: number): number => 1 / (1 + pow(2, -weight));

/**
 * Total match weight of one pair: prior log-odds plus the weight of each field's level.
 * Missing fields add nothing, which is what Fellegi-Sunter prescribes for unknown values.
 */
export function pairMatchWeight(levels: ArrayLike<number>, offset: number, weights: readonly (readonly number[])[], priorLogOdds: number): number {
  let total = priorLogOdds;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const level = levels[offset + f];
    if (level !== MISSING) total += weights[f][level];
  }
  return total;
}
