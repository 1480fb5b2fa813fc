// The labelled-conversation format of ../shared/eval/conversations/*.jsonl and the prediction
// lines the scorer reads back.
import { CONTACT_FIELDS, ContactField, ExtractionInput, ExtractionResult, MessageAuthor } from '../extractor/extraction.types';

export interface ConversationLine {
  id: string;
  region?: string;
  channel?: string;
  messages: { author: MessageAuthor; text: string }[];
}

export interface PredictionLine {
  id: string;
  fields: Record<ContactField, string | null>;
  summary: string;
}

const AUTHORS: readonly MessageAuthor[] = ['visitor', 'ai', 'agent'];

/** Parses one JSONL line; throws with the line number on anything malformed. */
export function parseConversationLine(line: string, lineNo: number): ConversationLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    throw new Error(`line ${lineNo}: not JSON (${(e as Error).message})`);
  }
  const c = raw as Partial<ConversationLine>;
  if (!c || typeof c.id !== 'string' || !Array.isArray(c.messages)) throw new Error(`line ${lineNo}: needs "id" and "messages"`);
  for (const m of c.messages) {
    if (!m || !AUTHORS.includes(m.author) || typeof m.text !== 'string') throw new Error(`line ${lineNo}: each message needs an author (visitor|ai|agent) and a text`);
  }
  return { id: c.id, region: typeof c.region === 'string' ? c.region : undefined, messages: c.messages };
}

export function readConversations(jsonl: string): ConversationLine[] {
  return jsonl
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => parseConversationLine(line, i + 1));
}

/** Messages carry no ids in the file: they become m1, m2... in order. */
export function toExtractionInput(c: ConversationLine): ExtractionInput {
  return {
    messages: c.messages.map((m, i) => ({ id: `m${i + 1}`, author: m.author, text: m.text })),
    defaultRegion: c.region ?? 'US',
  };
}

export function toPredictionLine(id: string, result: ExtractionResult): PredictionLine {
  const fields = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, result.fields[f]?.value ?? null])) as Record<ContactField, string | null>;
  return { id, fields, summary: result.summary };
}
