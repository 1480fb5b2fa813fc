// Small helpers to look at the words around a detected value: whether the visitor said it
// about themself, about someone else, or as a correction depends on those words.

/** Text of the clause holding [start, end): bounded by sentence ends, semicolons and "but". */
export function clauseAround(text: string, start: number, end: number): { before: string; after: string } {
  const head = text.slice(0, start);
  const cut = Math.max(
    head.lastIndexOf('. '),
    head.lastIndexOf('! '),
    head.lastIndexOf('? '),
    head.lastIndexOf(';'),
    head.lastIndexOf('\n'),
    head.search(/\bbut\b(?!.*\bbut\b)/is),
  );
  const before = head.slice(cut + 1);
  const tail = text.slice(end);
  const stop = tail.search(/[.!?](?:\s|$)|;|\n|\bbut\b/i);
  const after = stop < 0 ? tail : tail.slice(0, stop);
  return { before, after };
}

/** The last `n` characters before `start`, not crossing a line break. */
export function lineBefore(text: string, start: number, n = 48): string {
  const head = text.slice(Math.max(0, start - n), start);
  const nl = head.lastIndexOf('\n');
  return nl < 0 ? head : head.slice(nl + 1);
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}
