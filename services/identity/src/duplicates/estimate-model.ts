import type { BlockingRule, CandidatePairs } from './blocking';
import { FIELD_COUNT, FIELD_INDEX, FIELD_NAMES, MISSING } from './comparison-fields';
import { comparePair } from './comparators';
import { defaultMatchModel, logOdds, matchWeights, pairMatchWeight, probabilityFromWeight, type MatchModel } from './match-model';
import type { PreparedCandidate } from './prepared-candidate';

// Math's functions bound once: in a VM context (Jest) every `Math.x` is a slow global lookup.
const { max, min, floor, abs, imul } = Math;

/** Small, seeded PRNG (mulberry32): the same data always gives the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * u probabilities from random pairs: two contacts drawn at random are almost always different
 * people, so how often their fields agree is what chance agreement looks like (Splink's method).
 * A level never seen in the sample gets at most half a count, never zero: it is rare, not impossible.
 */
export function estimateUProbabilities(
  model: MatchModel,
  left: readonly PreparedCandidate[],
  right: readonly PreparedCandidate[] | undefined,
  sampleSize: number,
  seed = 1,
): MatchModel {
  const other = right ?? left;
  const random = seededRandom(seed);
  const counts = FIELD_NAMES.map((name) => new Array<number>(model.fields[name].length).fill(0));
  const totals = new Array<number>(FIELD_COUNT).fill(0);
  const levels = new Int8Array(FIELD_COUNT);
  if (left.length === 0 || other.length < (right ? 1 : 2)) return model;
  for (let s = 0; s < sampleSize; s++) {
    const i = floor(random() * left.length);
    const j = floor(random() * other.length);
    if (!right && i === j) continue;
    comparePair(left[i], other[j], levels);
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (levels[f] === MISSING) continue;
      counts[f][levels[f]]++;
      totals[f]++;
    }
  }
  const fields = { ...model.fields };
  FIELD_NAMES.forEach((name, f) => {
    if (totals[f] === 0) return; // never present: keep the prior
    fields[name] = model.fields[name].map((l, level) => ({
      ...l,
      u: counts[f][level] > 0 ? counts[f][level] / totals[f] : min(l.u, 0.5 / totals[f]),
    }));
  });
  return { ...model, fields };
}

interface Session {
  pairs: Int32Array;
  /** Fields the blocking rule forced to agree: neither used nor learnt in this session. */
  skip: boolean[];
}

/**
 * m probabilities by expectation maximisation, one session per blocking rule, unsupervised:
 * among the pairs a rule produced, EM separates a "same person" class from a "different
 * people" class with u held fixed, learning m and the class share. A rule's own fields agree
 * by construction there, so they are left out of its session and learnt from the other
 * rules' sessions; each field's m is the average over sessions, weighted by expected matches.
 */
export function estimateMProbabilities(
  model: MatchModel,
  levels: Int8Array,
  sessions: readonly Session[],
  iterations = 25,
): MatchModel {
  const sums = FIELD_NAMES.map((name) => new Array<number>(model.fields[name].length).fill(0));
  const weightSums = new Array<number>(FIELD_COUNT).fill(0);

  for (const session of sessions) {
    if (session.pairs.length < 20) continue; // too few pairs to tell two classes apart
    const learnt = runSession(model, levels, session, iterations);
    FIELD_NAMES.forEach((name, f) => {
      if (session.skip[f]) return;
      learnt.model.fields[name].forEach((l, level) => (sums[f][level] += l.m * learnt.expectedMatches));
      weightSums[f] += learnt.expectedMatches;
    });
  }

  const fields = { ...model.fields };
  FIELD_NAMES.forEach((name, f) => {
    if (weightSums[f] === 0) return; // never learnt: keep the prior
    fields[name] = model.fields[name].map((l, level) => ({ ...l, m: sums[f][level] / weightSums[f] }));
  });
  return { ...model, fields };
}

/** EM on one rule's pairs: returns the learnt m and how many of the pairs it thinks match. */
function runSession(start: MatchModel, levels: Int8Array, session: Session, iterations: number): { model: MatchModel; expectedMatches: number } {
  let current = start;
  let prior = 0.5;
  let expectedMatches = 0;
  for (let iteration = 0; iteration < iterations; iteration++) {
    // E step: P(match) of every pair under the current m, the fixed u and the session's prior.
    const weights = matchWeights(current).map((row, f) => (session.skip[f] ? row.map(() => 0) : row));
    const priorOdds = logOdds(prior);
    const counts = FIELD_NAMES.map((name) => new Array<number>(current.fields[name].length).fill(0));
    expectedMatches = 0;
    for (const pair of session.pairs) {
      const p = probabilityFromWeight(pairMatchWeight(levels, pair * FIELD_COUNT, weights, priorOdds));
      expectedMatches += p;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const level = levels[pair * FIELD_COUNT + f];
        if (level !== MISSING) counts[f][level] += p;
      }
    }
    // M step: m is the match-weighted share of each level.
    const fields = { ...current.fields };
    FIELD_NAMES.forEach((name, f) => {
      if (session.skip[f]) return;
      const total = counts[f].reduce((a, b) => a + b, 0);
      // One pseudo-count spread by the prior keeps unseen levels possible (m never 0).
      fields[name] = current.fields[name].map((l, level) => ({
        ...l,
        m: max((counts[f][level] + start.fields[name][level].m) / (total + 1), 1e-6),
      }));
    });
    current = { ...current, fields };
    const nextPrior = min(max(expectedMatches / session.pairs.length, 1e-6), 1 - 1e-6);
    const converged = abs(nextPrior - prior) < 1e-6;
    prior = nextPrior;
    if (converged) break;
  }
  return { model: current, expectedMatches };
}

/** The share of candidate pairs that are one person, by EM with m and u held fixed (starting from 1%). */
export function estimatePriorMatchProbability(model: MatchModel, levels: Int8Array, count: number, iterations = 50): number {
  const weights = matchWeights(model);
  const noPrior = new Float64Array(count);
  for (let pair = 0; pair < count; pair++) noPrior[pair] = pairMatchWeight(levels, pair * FIELD_COUNT, weights, 0);
  let prior = 0.01;
  for (let iteration = 0; iteration < iterations && count > 0; iteration++) {
    const priorOdds = logOdds(prior);
    let expected = 0;
    for (let pair = 0; pair < count; pair++) expected += probabilityFromWeight(noPrior[pair] + priorOdds);
    const next = min(max(expected / count, 1e-9), 1 - 1e-9);
    if (abs(next - prior) < 1e-9) return next;
    prior = next;
  }
  return prior;
}

export interface EstimationInput {
  left: readonly PreparedCandidate[];
  right: readonly PreparedCandidate[] | undefined;
  candidates: CandidatePairs;
  /** Comparison levels of every candidate pair, FIELD_COUNT per pair. */
  levels: Int8Array;
  rules: readonly BlockingRule[];
  /** Random pairs drawn to learn u. */
  uSampleSize?: number;
  start?: MatchModel;
}

/** The whole unsupervised estimation: u from random pairs, m by EM per rule, then the prior. */
export function estimateModel(input: EstimationInput): MatchModel {
  const start = input.start ?? defaultMatchModel();
  const withU = estimateUProbabilities(start, input.left, input.right, input.uSampleSize ?? 200_000);
  const sessions: Session[] = input.rules.map((rule) => {
    const skip = new Array<boolean>(FIELD_COUNT).fill(false);
    for (const field of rule.fields) skip[FIELD_INDEX[field]] = true;
    return { pairs: input.candidates.pairsByRule.get(rule.name) ?? new Int32Array(0), skip };
  });
  const withM = estimateMProbabilities(withU, input.levels, sessions);
  // u was learnt from random pairs, so the prior must be that of a random pair too (as in
  // Splink): expected duplicates among the candidates, spread over all possible pairs. Using the
  // candidates' own share instead would count the blocking agreement twice.
  const candidateShare = estimatePriorMatchProbability(withM, input.levels, input.candidates.count);
  const n = input.left.length;
  const possiblePairs = input.right ? n * input.right.length : (n * (n - 1)) / 2;
  const expectedDuplicates = candidateShare * input.candidates.count;
  return { ...withM, priorMatchProbability: min(max(expectedDuplicates / max(possiblePairs, 1), 1e-12), 0.5) };
}
