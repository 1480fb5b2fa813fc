// The extraction service through NATS: idle conversations in, `conversation.analyzed` out, with the
// account's capture settings applied, in rules mode and in LLM mode against a local OpenAI-style server.
import {
  ConversationAnalyzedEvent, ConversationIdleEvent, type CaptureSettingsDto, type ConversationAnalyzed, type ConversationIdle,
} from '@leadline/contracts';
import { awaitEvent, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractionService } from '../extraction.service-definition';

const ALL_FIELDS: CaptureSettingsDto = {
  captureLeads: true, fields: ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'],
};

interface Turn { author: 'visitor' | 'ai'; text: string }

function idleConversation(accountId: string, turns: Turn[], capture: CaptureSettingsDto = ALL_FIELDS): ConversationIdle {
  const start = Date.parse('2026-11-21T10:00:00Z');
  const transcript = turns.map((turn, index) => ({
    messageId: randomUUID(), author: turn.author, text: turn.text, sentAt: new Date(start + index * 20_000).toISOString(),
  }));
  const conversationId = randomUUID();
  return {
    accountId, conversationId, channel: 'webchat', cycle: 1,
    identifiers: [{ kind: 'device', value: randomUUID(), verified: false }],
    contactId: null, capture, defaultRegion: 'US', transcript,
    newMessageIds: transcript.map((message) => message.messageId),
    conversationUrl: `https://app.leadline.example/conversations/${conversationId}`,
    idleAt: new Date(start + turns.length * 20_000 + 180_000).toISOString(),
  };
}

async function analyze(run: TestRun, idle: ConversationIdle): Promise<ConversationAnalyzed> {
  await publishEvent(run.js, run.naming(), ConversationIdleEvent, idle, { source: 'ingestion' });
  const analyzed = await awaitEvent(run.js, run.naming(), ConversationAnalyzedEvent, (e) => e.conversationId === idle.conversationId);
  return analyzed.data;
}

const JOHN: Turn[] = [
  { author: 'ai', text: 'Hi! Thanks for reaching Green Gardens. You can also call us at (503) 555-0100. How can I help?' },
  { author: 'visitor', text: "Hi, I'm John Smith. I'd like a quote for landscaping my backyard, about 500 sq ft." },
  { author: 'ai', text: 'Great! What is the best way to reach you?' },
  { author: 'visitor', text: 'My email is john@email.com and my cell is 555-123-4567. Afternoons are best, by phone.' },
];

describe('extraction service, rules extractor', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app } = await startService(run, extractionService));
  });
  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  it('publishes what the visitor shared, with evidence in their own messages, a summary and signals', async () => {
    const idle = idleConversation(accountId, JOHN);
    const analyzed = await analyze(run, idle);

    expect(analyzed.extractor).toBe('rules');
    expect(analyzed.visitorMessageCount).toBe(2);
    expect(Object.fromEntries(Object.entries(analyzed.fields).map(([field, value]) => [field, value?.value]))).toEqual({
      firstName: 'John', lastName: 'Smith', email: 'john@email.com', phone: '+15551234567',
    });
    // The business's number in the AI's greeting is never the visitor's.
    const visitorMessageIds = idle.transcript.filter((m) => m.author === 'visitor').map((m) => m.messageId);
    for (const value of Object.values(analyzed.fields)) expect(visitorMessageIds).toContain(value!.evidence.messageId);
    const phoneEvidence = analyzed.fields.phone!.evidence;
    const phoneMessage = idle.transcript.find((m) => m.messageId === phoneEvidence.messageId)!;
    expect(phoneMessage.text.slice(phoneEvidence.start, phoneEvidence.end)).toBe('555-123-4567');
    expect(analyzed.summary).toMatch(/landscaping/i);
    expect(analyzed.signals.preferredContact).toBe('phone');
    expect(analyzed.signals.sizeMentioned).toBe(true);
    expect(analyzed).toMatchObject({ accountId, conversationId: idle.conversationId, cycle: 1, contactId: null });
  });

  it('keeps only the fields the channel captures', async () => {
    const analyzed = await analyze(run, idleConversation(accountId, JOHN, { captureLeads: true, fields: ['email'] }));
    expect(Object.keys(analyzed.fields)).toEqual(['email']);
    expect(analyzed.fields.email?.value).toBe('john@email.com');
  });

  it('captures nothing on a channel with lead capture off, but still summarises', async () => {
    const analyzed = await analyze(run, idleConversation(accountId, JOHN, { captureLeads: false, fields: ['email', 'phone'] }));
    expect(analyzed.fields).toEqual({});
    expect(analyzed.summary).toMatch(/landscaping/i);
  });

  it('publishes empty fields when the visitor shared nothing about themselves', async () => {
    const analyzed = await analyze(run, idleConversation(accountId, [
      { author: 'ai', text: 'Hello! How can I help you today?' },
      { author: 'visitor', text: "I'm interested in your opening hours. I'm in Denver, is the store open Sunday?" },
    ]));
    expect(analyzed.fields).toEqual({});
    expect(analyzed.visitorMessageCount).toBe(1);
  });
});

describe('extraction service, LLM extractor against an OpenAI-compatible server', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let llm: Server;
  let answer: (() => { status: number; body: string }) = () => ({ status: 500, body: 'not set' });
  let delayMs = 0;
  const accountId = randomUUID();

  beforeAll(async () => {
    llm = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const { status, body } = answer();
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body);
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    run = await TestRun.start();
    ({ app } = await startService(run, extractionService, {
      EXTRACTOR: 'llm', LLM_BASE_URL: baseUrl, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '2000',
    }));
  });
  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
    await new Promise<void>((resolve) => llm.close(() => resolve()));
  });

  const completion = (content: unknown) => () => ({
    status: 200,
    body: JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(content) }, finish_reason: 'stop' }] }),
  });

  it('keeps the values the visitor wrote and drops the ones the model invented', async () => {
    answer = completion({
      firstName: 'John', lastName: 'Smith', email: 'john@email.com',
      phone: '+15035550100', // the business's number from the AI's greeting: not the visitor's
      address: '12 Invented Road', postalCode: null,
      summary: 'Visitor wants a landscaping quote for a 500 sq ft backyard. Prefers a phone call in the afternoon.',
      intent: 'high', urgency: 'low', budgetMentioned: false, sizeMentioned: true, preferredContact: 'phone',
    });
    const analyzed = await analyze(run, idleConversation(accountId, JOHN));
    expect(analyzed.extractor).toBe('llm');
    expect(analyzed.fields.firstName?.value).toBe('John');
    expect(analyzed.fields.email?.value).toBe('john@email.com');
    expect(analyzed.fields.phone).toBeUndefined();
    expect(analyzed.fields.address).toBeUndefined();
    expect(analyzed.summary).toBe('Visitor wants a landscaping quote for a 500 sq ft backyard. Prefers a phone call in the afternoon.');
  });

  it('falls back to the rules when the model server is slower than LLM_TIMEOUT_MS', async () => {
    answer = completion({ firstName: 'Invented' });
    delayMs = 2500; // LLM_TIMEOUT_MS is 2000 here
    try {
      const analyzed = await analyze(run, idleConversation(accountId, JOHN));
      expect(analyzed.extractor).toBe('rules');
      expect(analyzed.fields.firstName?.value).toBe('John');
    } finally {
      delayMs = 0;
    }
  });

  it('keeps to the capture settings in LLM mode too', async () => {
    answer = completion({
      firstName: 'John', lastName: 'Smith', email: 'john@email.com', phone: '555-123-4567', address: null, postalCode: null,
      summary: 'Visitor wants a landscaping quote.', intent: 'high', urgency: 'none', budgetMentioned: false, sizeMentioned: true, preferredContact: 'phone',
    });
    const analyzed = await analyze(run, idleConversation(accountId, JOHN, { captureLeads: true, fields: ['phone'] }));
    expect(analyzed.extractor).toBe('llm');
    expect(Object.keys(analyzed.fields)).toEqual(['phone']);
    expect(analyzed.fields.phone?.value).toBe('+15551234567');
    expect(analyzed.signals.contactCompleteness).toBe(1);
  });

  it('falls back to the rules when the model server fails', async () => {
    answer = () => ({ status: 500, body: '{"error":"overloaded"}' });
    const analyzed = await analyze(run, idleConversation(accountId, JOHN));
    expect(analyzed.extractor).toBe('rules');
    expect(analyzed.fields.email?.value).toBe('john@email.com');
    expect(analyzed.fields.phone?.value).toBe('+15551234567');
  });
});
