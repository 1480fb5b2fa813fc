// Optional extractor backed by any OpenAI-compatible chat completions server (vLLM, Ollama,
// llama.cpp's server). The model reads the transcript and answers in a JSON schema; every
// contact value it gives is grounded in the visitor's own text or dropped. On timeout, HTTP
// error or unusable output the rules extractor answers instead.
import {
  CONTACT_FIELDS, ContactField, ConversationExtractor, ExtractedFields, ExtractionInput, ExtractionResult, IntentLevel, QualificationSignals,
} from './extraction.types';
import { ground } from './grounding';
import { signalsOf } from './signals';

export interface LlmExtractorOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  fallback: ConversationExtractor;
  /** told why the fallback answered (for logs and metrics) */
  onFallback?: (reason: string) => void;
}

const nullableString = { type: ['string', 'null'] };
export const LLM_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [...CONTACT_FIELDS, 'summary', 'intent', 'urgency', 'budgetMentioned', 'sizeMentioned', 'preferredContact'],
  properties: {
    ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f, nullableString])),
    summary: { type: 'string' },
    intent: { enum: ['none', 'low', 'medium', 'high'] },
    urgency: { enum: ['none', 'low', 'high'] },
    budgetMentioned: { type: 'boolean' },
    sizeMentioned: { type: 'boolean' },
    preferredContact: { enum: ['phone', 'email', 'sms', null] },
  },
} as const;

const INSTRUCTIONS = [
  'You extract contact details a website visitor shared about themself in a conversation with a business.',
  'Use only lines written by VISITOR. Never use the AI or AGENT lines, and never a number or address of the business.',
  'Only what the visitor said about themself: not a friend\'s or spouse\'s details, not order numbers, prices or dates.',
  'If the visitor corrects a detail, give the corrected one. Give null for anything not stated. Never guess.',
  'phone: as written by the visitor. address: the street address as written. postalCode: as written.',
  'summary: one to three sentences: what the visitor wants, key details, how they prefer to be contacted.',
].join('\n');

type Answer = Record<ContactField, string | null> & {
  summary: string; intent: IntentLevel; urgency: QualificationSignals['urgency'];
  budgetMentioned: boolean; sizeMentioned: boolean; preferredContact: QualificationSignals['preferredContact'];
};

function isAnswer(x: unknown): x is Answer {
  if (!x || typeof x !== 'object') return false;
  const a = x as Record<string, unknown>;
  return CONTACT_FIELDS.every((f) => a[f] === null || a[f] === undefined || typeof a[f] === 'string')
    && typeof a.summary === 'string'
    && ['none', 'low', 'medium', 'high'].includes(a.intent as string);
}

export class LlmExtractor implements ConversationExtractor {
  constructor(private readonly options: LlmExtractorOptions) {}

  async extract(input: ExtractionInput): Promise<ExtractionResult> {
    let answer: Answer;
    try {
      answer = await this.ask(input);
    } catch (e) {
      this.options.onFallback?.((e as Error).message);
      return this.options.fallback.extract(input);
    }
    return this.toResult(input, answer);
  }

  private async ask(input: ExtractionInput): Promise<Answer> {
    const transcript = input.messages.map((m) => `${m.author.toUpperCase()}: ${m.text}`).join('\n');
    const res = await fetch(`${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.options.model,
        temperature: 0,
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          { role: 'user', content: `Default phone region: ${input.defaultRegion ?? 'US'}\n\n${transcript}` },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'visitor_contact', strict: true, schema: LLM_ANSWER_SCHEMA } },
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!res.ok) throw new Error(`LLM server answered HTTP ${res.status}`);
    const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new Error('LLM answer has no message content');
    const parsed: unknown = JSON.parse(content);
    if (!isAnswer(parsed)) throw new Error('LLM answer does not match the schema');
    return parsed;
  }

  private toResult(input: ExtractionInput, answer: Answer): ExtractionResult {
    const region = (input.defaultRegion ?? 'US').toUpperCase();
    const capture = input.captureFields ?? CONTACT_FIELDS;
    const visitor = input.messages.filter((m) => m.author === 'visitor');
    const fields: ExtractedFields = {};
    for (const f of capture) {
      const proposed = answer[f];
      if (typeof proposed !== 'string') continue;
      const grounded = ground(f, proposed, visitor, region);
      if (grounded) fields[f] = { ...grounded, confidence: 0.9 };
    }
    const rules = signalsOf(visitor.map((m) => m.text), fields, capture);
    const signals: QualificationSignals = {
      intent: answer.intent,
      urgency: ['none', 'low', 'high'].includes(answer.urgency) ? answer.urgency : rules.urgency,
      budgetMentioned: typeof answer.budgetMentioned === 'boolean' ? answer.budgetMentioned : rules.budgetMentioned,
      sizeMentioned: typeof answer.sizeMentioned === 'boolean' ? answer.sizeMentioned : rules.sizeMentioned,
      preferredContact: ['phone', 'email', 'sms'].includes(answer.preferredContact ?? '') ? answer.preferredContact : rules.preferredContact,
      contactCompleteness: rules.contactCompleteness,
    };
    return { fields, summary: answer.summary.trim(), signals, extractor: 'llm' };
  }
}
