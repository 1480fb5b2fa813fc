// The labelled conversations scored by the shared scorer itself, so the figures here are the ones
// the target is about (micro-F1 >= 0.95): dev.jsonl, and our own held-out sets under
// services/extraction/eval (see its README for how they were written and first scored).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile } from '../cli/extract.cli';
import { readConversations, toExtractionInput } from '../cli/conversation-lines';
import { RulesExtractor } from './rules-extractor';

const EVAL = join(__dirname, '../../../../../shared/eval');
const OWN = join(__dirname, '../../eval');
const SETS = [join(EVAL, 'conversations/dev.jsonl'), join(OWN, 'held-out.jsonl'), join(OWN, 'held-out-2.jsonl')];

function microF1(gold: string): number {
  const predictions = join(mkdtempSync(join(tmpdir(), 'extraction-')), 'pred.jsonl');
  writeFileSync(predictions, `${extractFile(gold).join('\n')}\n`);
  const report = execFileSync(process.execPath, [join(EVAL, 'score-extraction.mjs'), gold, predictions], { encoding: 'utf8' });
  return Number(report.trim().split('\n').pop()?.replace('micro-F1 ', ''));
}

describe('labelled conversations through score-extraction.mjs', () => {
  it.each(SETS)('%s reaches micro-F1 >= 0.95', (gold) => {
    expect(microF1(gold)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('summaries of the labelled conversations', () => {
  const rules = new RulesExtractor();
  const conversations = SETS.flatMap((path) => readConversations(readFileSync(path, 'utf8')));

  it('are one to three sentences that hold no phone number or e-mail address', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(140);
    const wrong: string[] = [];
    for (const c of conversations) {
      const { summary } = rules.extractSync(toExtractionInput(c));
      // Sentences end with . ? or a closing quote; quoted text may hold its own full stops.
      const sentences = summary.replace(/"[^"]*"/g, '"q"').split(/(?<=[.!?"])\s+/).filter(Boolean);
      if (sentences.length < 1 || sentences.length > 3 || /@|\d{3}[\s.\-)]*\d{3}[\s.\-]*\d{4}/.test(summary)) wrong.push(`${c.id}: ${summary}`);
    }
    expect(wrong).toEqual([]);
  });
});
