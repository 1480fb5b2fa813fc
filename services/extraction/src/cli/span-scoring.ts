// Span-level scoring for Presidio's synthetic sentences.
//
// Criterion: a predicted span is a true positive when it is paired one-to-one with a gold span
// of the same entity type whose character intersection-over-union with it is at least 0.5
// (pairs are made greedily, best IoU first). This is the usual "partial/overlap" span match
// (e.g. the relaxed match of span-level NER evaluations, and the iou_threshold Presidio's own
// evaluator exposes); exact-boundary figures are printed beside it so both can be judged.
import { DetectedSpan, SpanType } from '../extractor/spans';

export interface GoldSpan { type: string; start: number; end: number }
export interface Counts { tp: number; fp: number; fn: number }
export interface Score extends Counts { precision: number; recall: number; f1: number }

export const IOU_THRESHOLD = 0.5;

export function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter <= 0) return 0;
  return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/** Counts tp/fp/fn of one type in one sentence. `exact` requires identical boundaries. */
export function matchSpans(predicted: readonly DetectedSpan[], gold: readonly GoldSpan[], type: SpanType, exact = false): Counts {
  const p = predicted.filter((s) => s.type === type);
  const g = gold.filter((s) => s.type === type);
  const pairs: { i: number; j: number; score: number }[] = [];
  p.forEach((ps, i) =>
    g.forEach((gs, j) => {
      const score = exact ? (ps.start === gs.start && ps.end === gs.end ? 1 : 0) : iou(ps, gs);
      if (score >= (exact ? 1 : IOU_THRESHOLD)) pairs.push({ i, j, score });
    }),
  );
  pairs.sort((a, b) => b.score - a.score);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  for (const { i, j } of pairs) {
    if (usedP.has(i) || usedG.has(j)) continue;
    usedP.add(i);
    usedG.add(j);
  }
  return { tp: usedP.size, fp: p.length - usedP.size, fn: g.length - usedG.size };
}

export function scoreOf(c: Counts): Score {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...c, precision, recall, f1 };
}

export interface PresidioSentence { full_text: string; spans: { entity_type: string; start_position: number; end_position: number }[] }

/** Scores every sentence; returns per type both the IoU>=0.5 score and the exact-match score. */
export function scorePresidio(
  sentences: readonly PresidioSentence[],
  detect: (text: string) => DetectedSpan[],
  types: readonly SpanType[],
): Record<string, { overlap: Score; exact: Score }> {
  const overlap = Object.fromEntries(types.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const exact = Object.fromEntries(types.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  for (const s of sentences) {
    const predicted = detect(s.full_text);
    const gold = s.spans.map((g) => ({ type: g.entity_type, start: g.start_position, end: g.end_position }));
    for (const t of types) {
      for (const [acc, isExact] of [[overlap, false], [exact, true]] as const) {
        const c = matchSpans(predicted, gold, t, isExact);
        acc[t].tp += c.tp;
        acc[t].fp += c.fp;
        acc[t].fn += c.fn;
      }
    }
  }
  return Object.fromEntries(types.map((t) => [t, { overlap: scoreOf(overlap[t]), exact: scoreOf(exact[t]) }]));
}

export function formatSpanReport(report: Record<string, { overlap: Score; exact: Score }>): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `match: same type and character IoU >= ${IOU_THRESHOLD}, one-to-one (exact-boundary figures in the right columns)`,
    'type             P      R      F1     tp   fp   fn   | exact P  R      F1',
  ];
  for (const [t, { overlap: o, exact: e }] of Object.entries(report)) {
    lines.push(
      `${t.padEnd(15)} ${f(o.precision)}  ${f(o.recall)}  ${f(o.f1)}  ${String(o.tp).padStart(4)} ${String(o.fp).padStart(4)} ${String(o.fn).padStart(4)}   | ${f(e.precision)}  ${f(e.recall)}  ${f(e.f1)}`,
    );
  }
  return lines.join('\n');
}
