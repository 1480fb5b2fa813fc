/** Pairwise precision, recall and F1 of predicted duplicate pairs against known entities. */
export interface PairEvaluation {
  predictedPairs: number;
  truePairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

function countByEntity(ids: readonly string[], entityOf: (id: string) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const entity = entityOf(id);
    counts.set(entity, (counts.get(entity) ?? 0) + 1);
  }
  return counts;
}

/**
 * Number of true pairs: within one list, every two records of an entity (k choose 2); across two
 * lists, every A record with every B record of the same entity.
 */
export function countTruePairs(idsA: readonly string[], idsB: readonly string[] | undefined, entityOf: (id: string) => string): number {
  const a = countByEntity(idsA, entityOf);
  let total = 0;
  if (!idsB) {
    for (const k of a.values()) total += (k * (k - 1)) / 2;
    return total;
  }
  for (const [entity, k] of countByEntity(idsB, entityOf)) total += k * (a.get(entity) ?? 0);
  return total;
}

/** Predicted pairs must be distinct (the scorer emits each pair once). */
export function evaluatePairs(
  predicted: ReadonlyArray<readonly [string, string]>,
  idsA: readonly string[],
  idsB: readonly string[] | undefined,
  entityOf: (id: string) => string,
): PairEvaluation {
  const truePairs = countTruePairs(idsA, idsB, entityOf);
  let truePositives = 0;
  for (const [a, b] of predicted) if (entityOf(a) === entityOf(b)) truePositives++;
  const falsePositives = predicted.length - truePositives;
  const falseNegatives = truePairs - truePositives;
  const precision = predicted.length === 0 ? 0 : truePositives / predicted.length;
  const recall = truePairs === 0 ? 0 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { predictedPairs: predicted.length, truePairs, truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}
