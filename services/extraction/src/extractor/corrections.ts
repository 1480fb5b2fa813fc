// Corrections: a visitor who says "sorry, it's ..." or "actually use ..." replaces what they
// said before. Later messages also win over earlier ones: restating a detail is updating it.

const CUE =
  /\b(?:actually|sorry|correction|i mean|i meant|rather|instead|oops|typo|my bad|wrong|scratch that|not that one|new (?:number|email|address)|changed|updated?|better (?:to use|use)|use my|use this|eigentlich|korrektur|pardon)\b/i;

/** Does a correction cue stand in the sentence before `start` (or the short one before it)? */
export function correctsEarlier(text: string, start: number): boolean {
  const head = text.slice(Math.max(0, start - 80), start);
  const sentences = head.split(/(?<=[.!?\n])\s+/);
  const near = sentences.slice(-2).join(' ');
  return CUE.test(near);
}

export interface Candidate { messageIndex: number; start: number; correction: boolean; preferred: boolean }

/**
 * The value the visitor finally stands by: the latest message holding a candidate wins; inside
 * one message the first preferred one ("my cell"), unless a later one is a correction.
 */
export function finalCandidate<T extends Candidate>(candidates: readonly T[]): T | undefined {
  if (!candidates.length) return undefined;
  const lastMessage = Math.max(...candidates.map((c) => c.messageIndex));
  const inLast = candidates.filter((c) => c.messageIndex === lastMessage).sort((a, b) => a.start - b.start);
  const corrected = inLast.filter((c) => c.correction && c !== inLast[0]);
  if (corrected.length) return corrected[corrected.length - 1];
  return inLast.find((c) => c.preferred) ?? inLast[0];
}
