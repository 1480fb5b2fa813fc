/**
 * The fields the duplicate scorer compares and, for each, its comparison levels from strongest
 * agreement to disagreement (Fellegi-Sunter). Each level carries prior m and u probabilities:
 *   m = P(level | same person), u = P(level | two different people).
 * The priors are deliberately rough, principled guesses (typo rates of a few percent; u about
 * 1 / number of distinct values); `estimateModel` replaces them with values learnt from the
 * data itself, without labels, as Splink does.
 */
export const FIELD_NAMES = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'nationalId',
  'email',
  'phone',
  'streetNumber',
  'street',
  'place',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

export const FIELD_COUNT = FIELD_NAMES.length;

export const FIELD_INDEX: Readonly<Record<FieldName, number>> = Object.fromEntries(
  FIELD_NAMES.map((name, index) => [name, index]),
) as Record<FieldName, number>;

/** Level index written when either side lacks the value: it counts for nothing. */
export const MISSING = -1;

export interface LevelPrior {
  level: string;
  m: number;
  u: number;
}

const level = (name: string, m: number, u: number): LevelPrior => ({ level: name, m, u });

export const FIELD_LEVELS: Readonly<Record<FieldName, readonly LevelPrior[]>> = {
  firstName: [
    level('exact', 0.85, 0.01),
    level('nickname', 0.03, 0.002),
    level('typo', 0.07, 0.005),
    level('similar', 0.03, 0.03),
    level('different', 0.02, 0.953),
  ],
  lastName: [
    level('exact', 0.87, 0.003),
    level('typo', 0.08, 0.003),
    level('similar', 0.03, 0.02),
    level('different', 0.02, 0.974),
  ],
  dateOfBirth: [
    level('exact', 0.88, 0.00004),
    level('one digit', 0.07, 0.0005),
    level('two digits', 0.02, 0.005),
    level('different', 0.03, 0.99446),
  ],
  nationalId: [
    level('exact', 0.9, 0.000001),
    level('one digit', 0.06, 0.00001),
    level('two digits', 0.02, 0.0001),
    level('different', 0.02, 0.999889),
  ],
  email: [
    level('exact', 0.6, 0.000001),
    level('same mailbox', 0.1, 0.000001),
    level('same local part', 0.05, 0.00001),
    level('different', 0.25, 0.999988),
  ],
  phone: [
    level('exact', 0.7, 0.000001),
    level('same subscriber number', 0.05, 0.00001),
    level('different', 0.25, 0.999989),
  ],
  streetNumber: [level('exact', 0.9, 0.02), level('different', 0.1, 0.98)],
  street: [level('exact', 0.85, 0.002), level('typo', 0.1, 0.002), level('different', 0.05, 0.996)],
  // Postal code, locality and state are one comparison, not three: in real addresses they move
  // together, and three separate weights would count one fact ("same suburb") three times.
  place: [
    level('same postal code and locality', 0.85, 0.001),
    level('same postal code', 0.07, 0.003),
    level('same locality', 0.03, 0.002),
    level('near', 0.02, 0.01),
    level('same state only', 0.01, 0.2),
    level('different', 0.02, 0.784),
  ],
};
