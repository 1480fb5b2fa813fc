// npm run -s extract -- FILE.jsonl          one prediction line per conversation on stdout
// npm run -s extract -- --spans FILE.json   span P/R/F1 per type on Presidio's sentences
// Both go through the same RulesExtractor / detectSpans code the extraction service uses.
import { readFileSync } from 'node:fs';
import { RulesExtractor } from '../extractor/rules-extractor';
import { detectSpans, SPAN_TYPES } from '../extractor/spans';
import { readConversations, toExtractionInput, toPredictionLine } from './conversation-lines';
import { formatSpanReport, PresidioSentence, scorePresidio } from './span-scoring';

export function extractFile(path: string): string[] {
  const extractor = new RulesExtractor();
  return readConversations(readFileSync(path, 'utf8')).map((c) =>
    JSON.stringify(toPredictionLine(c.id, extractor.extractSync(toExtractionInput(c)))),
  );
}

export function spanReport(path: string, region = 'US'): string {
  const sentences = JSON.parse(readFileSync(path, 'utf8')) as PresidioSentence[];
  return formatSpanReport(scorePresidio(sentences, (t) => detectSpans(t, region), SPAN_TYPES));
}

export function main(argv: readonly string[]): number {
  const args = argv.filter((a) => a !== '--');
  const spans = args.includes('--spans');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: extract FILE.jsonl | extract --spans FILE.json\n');
    return 2;
  }
  try {
    if (spans) process.stdout.write(`${spanReport(file)}\n`);
    else for (const line of extractFile(file)) process.stdout.write(`${line}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`extract: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
