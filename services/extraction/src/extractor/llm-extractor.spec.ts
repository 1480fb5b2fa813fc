// Against a real HTTP server on 127.0.0.1 speaking the OpenAI chat completions API.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ExtractionInput } from './extraction.types';
import { LlmExtractor } from './llm-extractor';
import { RulesExtractor } from './rules-extractor';

type Behaviour = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
const requests: { path: string; body: Record<string, unknown>; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body: JSON.parse(body || '{}'), auth: req.headers.authorization });
      behaviour(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (requests.length = 0));

const completion = (answer: unknown): Behaviour => (_req, _body, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(answer) }, finish_reason: 'stop' }] }));
};

const input: ExtractionInput = {
  messages: [
    { id: 'm1', author: 'ai', text: 'Thanks for calling Bayview, reach us at (503) 555-0100. May I have your name?' },
    { id: 'm2', author: 'visitor', text: 'Ethan Park. I hurt my back, can I come in this week? My cell is 212 555 0148.' },
  ],
};
const answer = {
  firstName: 'Ethan', lastName: 'Park', email: null, phone: '+12125550148', address: null, postalCode: null,
  summary: 'Visitor hurt their back and wants an appointment this week.', intent: 'high', urgency: 'low',
  budgetMentioned: false, sizeMentioned: false, preferredContact: 'phone',
};
const extractor = (timeoutMs = 2000) => new LlmExtractor({ baseUrl, model: 'test-model', apiKey: 'k-123', timeoutMs, fallback: new RulesExtractor() });

describe('LlmExtractor', () => {
  it('sends a JSON-schema chat completion and keeps grounded values with their evidence', async () => {
    behaviour = completion(answer);
    const result = await extractor().extract(input);
    expect(result.extractor).toBe('llm');
    expect(result.fields.firstName).toEqual({ value: 'Ethan', confidence: 0.9, evidence: { messageId: 'm2', start: 0, end: 5 } });
    expect(result.fields.phone?.value).toBe('+12125550148');
    expect(input.messages[1].text.slice(result.fields.phone!.evidence.start, result.fields.phone!.evidence.end)).toBe('212 555 0148');
    expect(result.summary).toBe(answer.summary);
    expect(result.signals).toMatchObject({ intent: 'high', urgency: 'low', preferredContact: 'phone' });
    const [req] = requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.auth).toBe('Bearer k-123');
    expect(req.body).toMatchObject({ model: 'test-model', response_format: { type: 'json_schema' } });
  });

  it('drops a value the visitor never wrote (invented, or the business number)', async () => {
    behaviour = completion({ ...answer, email: 'ethan.park@gmail.com', phone: '(503) 555-0100', address: '1 Main St' });
    const result = await extractor().extract(input);
    expect(result.extractor).toBe('llm');
    expect(result.fields.email).toBeUndefined();
    expect(result.fields.phone).toBeUndefined();
    expect(result.fields.address).toBeUndefined();
    expect(result.fields.lastName?.value).toBe('Park');
  });

  it('falls back to the rules when the server is too slow', async () => {
    behaviour = (_req, _body, res) => setTimeout(() => completion(answer)(_req, _body, res), 500);
    const reasons: string[] = [];
    const slow = new LlmExtractor({ baseUrl, model: 'm', timeoutMs: 100, fallback: new RulesExtractor(), onFallback: (r) => reasons.push(r) });
    const result = await slow.extract(input);
    expect(result.extractor).toBe('rules');
    expect(result.fields.phone?.value).toBe('+12125550148');
    expect(result.fields.firstName?.value).toBe('Ethan');
    expect(reasons).toHaveLength(1);
  });

  it('falls back to the rules on HTTP 500', async () => {
    behaviour = (_req, _body, res) => {
      res.writeHead(500);
      res.end('boom');
    };
    const result = await extractor().extract(input);
    expect(result.extractor).toBe('rules');
    expect(result.fields.lastName?.value).toBe('Park');
  });

  it('falls back to the rules on an answer that is not the schema', async () => {
    behaviour = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: 'Sure! The name is Ethan.' } }] }));
    };
    expect((await extractor().extract(input)).extractor).toBe('rules');
  });
});
