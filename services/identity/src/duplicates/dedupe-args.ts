export interface DedupeArgs {
  fileA: string;
  fileB?: string;
  pairsOut?: string;
  minProbability: number;
  /** false with --fixed-priors: score with the built-in priors instead of learning from the files. */
  estimate: boolean;
}

export const DEDUPE_USAGE =
  'usage: npm run -s dedupe -- A.csv [B.csv] [--pairs OUT.csv] [--min-probability 0.5] [--fixed-priors]';

/** Parses the dedupe CLI arguments (without "node script"); throws an Error naming the problem. */
export function parseDedupeArgs(argv: readonly string[]): DedupeArgs {
  const files: string[] = [];
  let pairsOut: string | undefined;
  let minProbability = 0.5;
  let estimate = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--pairs') pairsOut = value();
    else if (arg === '--min-probability') {
      const raw = value();
      minProbability = Number(raw);
      if (!Number.isFinite(minProbability) || minProbability <= 0 || minProbability >= 1) {
        throw new Error(`--min-probability must be between 0 and 1 (exclusive), got ${raw}`);
      }
    } else if (arg === '--fixed-priors') estimate = false;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0 || files.length > 2) throw new Error(`expected one or two Febrl CSV files, got ${files.length}`);
  return { fileA: files[0], fileB: files[1], pairsOut, minProbability, estimate };
}
