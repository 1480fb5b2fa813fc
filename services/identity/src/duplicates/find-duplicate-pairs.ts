import { blockCandidatePairs, DEFAULT_BLOCKING_RULES, type BlockingRule } from './blocking';
import { comparePair } from './comparators';
import { FIELD_COUNT } from './comparison-fields';
import type { DuplicateCandidate } from './duplicate-candidate';
import { estimateModel } from './estimate-model';
import { defaultMatchModel, logOdds, matchWeights, pairMatchWeight, probabilityFromWeight, type MatchModel } from './match-model';
import { prepareCandidate, type PreparedCandidate } from './prepared-candidate';
import { explainPair, type DuplicateReason } from './reasons';

/** A suggested duplicate: two contacts that are probably one person, and why. */
export interface DuplicateSuggestion {
  a: string;
  b: string;
  /** P(same person), from the match weight and the model's prior. */
  probability: number;
  /** Match weight in bits: prior log-odds plus the evidence of every field. */
  matchWeight: number;
  reasons: DuplicateReason[];
}

export interface FindDuplicatesOptions {
  /** Use this model as is; otherwise one is estimated from the data, or the fixed priors are used. */
  model?: MatchModel;
  /** Learn m, u and the prior from the contacts themselves (unsupervised EM). Default true. */
  estimate?: boolean;
  /** Fewer contacts than this are scored with the fixed priors even when `estimate` is on. Default 1000. */
  minContactsToEstimate?: number;
  /** Suggest pairs whose probability is at least this. Default 0.5. */
  minProbability?: number;
  rules?: readonly BlockingRule[];
  maxBlockSize?: number;
  uSampleSize?: number;
}

export interface FindDuplicatesResult {
  suggestions: DuplicateSuggestion[];
  model: MatchModel;
  /** Where the model came from: the caller, EM on these contacts, or the fixed priors. */
  modelSource: 'given' | 'estimated' | 'fixed priors';
  stats: {
    contacts: number;
    candidatePairs: number;
    /** Pairs an all-pairs comparison would have needed. */
    possiblePairs: number;
    timingsMs: { prepare: number; blocking: number; compare: number; estimate: number; score: number; total: number };
  };
}

/**
 * Duplicate suggestions within one list of contacts (`recordsB` undefined) or between two
 * (each suggestion then pairs an A contact with a B contact). Only pairs that share a blocking
 * key are ever compared.
 */
export function findDuplicatePairs(
  recordsA: readonly DuplicateCandidate[],
  recordsB: readonly DuplicateCandidate[] | undefined,
  options: FindDuplicatesOptions = {},
): FindDuplicatesResult {
  const rules = options.rules ?? DEFAULT_BLOCKING_RULES;
  const started = performance.now();
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };

  const left = recordsA.map(prepareCandidate);
  const right = recordsB?.map(prepareCandidate);
  const prepare = lap();

  const candidates = blockCandidatePairs(left, right, rules, options.maxBlockSize);
  const blocking = lap();

  const other = right ?? left;
  const levels = new Int8Array(candidates.count * FIELD_COUNT);
  const swapped = new Uint8Array(candidates.count);
  for (let pair = 0; pair < candidates.count; pair++) {
    swapped[pair] = comparePair(left[candidates.left[pair]], other[candidates.right[pair]], levels, pair * FIELD_COUNT) ? 1 : 0;
  }
  const compare = lap();

  // EM needs enough contacts to tell duplicates from chance: below that, the fixed priors.
  const enoughToEstimate = left.length + (right?.length ?? 0) >= (options.minContactsToEstimate ?? 1000);
  const modelSource = options.model ? 'given' : options.estimate === false || !enoughToEstimate ? 'fixed priors' : 'estimated';
  const model =
    options.model ??
    (modelSource === 'estimated'
      ? estimateModel({ left, right, candidates, levels, rules, uSampleSize: options.uSampleSize })
      : defaultMatchModel());
  const estimate = lap();

  const weights = matchWeights(model);
  const priorOdds = logOdds(model.priorMatchProbability);
  const minProbability = options.minProbability ?? 0.5;
  const suggestions: DuplicateSuggestion[] = [];
  for (let pair = 0; pair < candidates.count; pair++) {
    const matchWeight = pairMatchWeight(levels, pair * FIELD_COUNT, weights, priorOdds);
    const probability = probabilityFromWeight(matchWeight);
    if (probability < minProbability) continue;
    const a = left[candidates.left[pair]];
    const b = other[candidates.right[pair]];
    const pairLevels = levels.subarray(pair * FIELD_COUNT, (pair + 1) * FIELD_COUNT);
    suggestions.push({ a: a.id, b: b.id, probability, matchWeight, reasons: explainPair(a, b, pairLevels, swapped[pair] === 1, weights) });
  }
  const score = lap();

  const n = left.length;
  return {
    suggestions,
    model,
    modelSource,
    stats: {
      contacts: n + (right?.length ?? 0),
      candidatePairs: candidates.count,
      possiblePairs: right ? n * right.length : (n * (n - 1)) / 2,
      timingsMs: { prepare, blocking, compare, estimate, score, total: performance.now() - started },
    },
  };
}

/**
 * Scores one pair, e.g. a new contact against each candidate the service found through a
 * BlockingIndex. Accepts raw or already prepared contacts (prepare once when scoring many).
 */
export function scoreCandidatePair(
  a: DuplicateCandidate | PreparedCandidate,
  b: DuplicateCandidate | PreparedCandidate,
  model: MatchModel = DEFAULT_MODEL,
): DuplicateSuggestion {
  const pa = isPrepared(a) ? a : prepareCandidate(a);
  const pb = isPrepared(b) ? b : prepareCandidate(b);
  const levels = new Int8Array(FIELD_COUNT);
  const swapped = comparePair(pa, pb, levels);
  const weights = weightsOf(model);
  const matchWeight = pairMatchWeight(levels, 0, weights, logOdds(model.priorMatchProbability));
  return {
    a: pa.id,
    b: pb.id,
    probability: probabilityFromWeight(matchWeight),
    matchWeight,
    reasons: explainPair(pa, pb, levels, swapped, weights),
  };
}

const DEFAULT_MODEL = defaultMatchModel();

// Models are plain data that do not change once built; their weights are worked out once each.
const weightsByModel = new WeakMap<MatchModel, number[][]>();
function weightsOf(model: MatchModel): number[][] {
  let weights = weightsByModel.get(model);
  if (!weights) {
    weights = matchWeights(model);
    weightsByModel.set(model, weights);
  }
  return weights;
}

function isPrepared(c: DuplicateCandidate | PreparedCandidate): c is PreparedCandidate {
  return 'source' in c;
}
