/**
 * The "Measured" dedupe command: runs the duplicate scorer on Febrl-format files and prints pair
 * precision, recall and F1 against the rec_id ground truth.
 *   npm run -s dedupe -- ../shared/eval/febrl/dataset4a.csv ../shared/eval/febrl/dataset4b.csv --pairs /tmp/pairs.csv
 */
import { DEDUPE_USAGE, parseDedupeArgs, type DedupeArgs } from './dedupe-args';
import { runDedupe } from './dedupe-run';

/** Runs the command; returns the exit code (2 for bad arguments, 1 for a file that cannot be read). */
export function main(argv: readonly string[], print: (line: string) => void = console.log, printError: (line: string) => void = console.error): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    print(DEDUPE_USAGE);
    return 0;
  }
  let args: DedupeArgs;
  try {
    args = parseDedupeArgs(argv);
  } catch (error) {
    printError(`${(error as Error).message}\n${DEDUPE_USAGE}`);
    return 2;
  }
  try {
    print(runDedupe(args).report);
    return 0;
  } catch (error) {
    printError(`dedupe failed: ${(error as Error).message}`);
    return 1;
  }
}

// Only when run as a program, so tests can import main().
if (require.main === module) process.exitCode = main(process.argv.slice(2));
