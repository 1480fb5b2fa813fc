import { memberHeaders } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { sleep } from './stats';

/** Who writes: a brand-new visitor, one who comes back from another browser, or one who never says who they are. */
export type VisitorKind = 'new' | 'returning' | 'anonymous';

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

export interface PlannedConversation {
  key: string;
  kind: VisitorKind;
  account: number;
  deviceId: string;
  person?: Person;
  /** Visitor, AI, visitor, AI. Who the visitor is travels in the first message, so an idle window that passes
   * between two messages (a slow moment, a killed service) cannot split a person's name from their email. */
  messages: { author: 'visitor' | 'ai'; text: string }[];
}

export interface Mix {
  returning: number;
  anonymous: number;
}

const FIRST = ['John', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark'];

/**
 * N conversations spread over the accounts: new visitors (name and email), returning ones (a person met
 * earlier in the plan, from a new device: matched by email) and anonymous ones (no contact details).
 * Deterministic for a seed, so a run can be repeated.
 */
export function planConversations(count: number, accounts: number, mix: Mix, tag: string, seed = 1): PlannedConversation[] {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const people: { person: Person; account: number; at: number }[] = [];
  const plan: PlannedConversation[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const account = i % accounts;
    // Returning visitors come back to someone met at least 20 conversations earlier in the same account.
    const earlier = people.filter((p) => p.account === account && p.at < i - 20);
    let kind: VisitorKind = roll < mix.anonymous ? 'anonymous' : roll < mix.anonymous + mix.returning ? 'returning' : 'new';
    if (kind === 'returning' && earlier.length === 0) kind = 'new';
    const key = `${tag}-${i}`;
    if (kind === 'anonymous') {
      plan.push({ key, kind, account, deviceId: randomUUID(), messages: anonymousMessages() });
      continue;
    }
    let person: Person;
    if (kind === 'returning') {
      person = earlier[Math.floor(random() * earlier.length)]!.person;
    } else {
      const firstName = FIRST[Math.floor(random() * FIRST.length)]!;
      const lastName = LAST[Math.floor(random() * LAST.length)]!;
      person = { firstName, lastName, email: `${firstName}.${lastName}.${tag}.${i}@example.com`.toLowerCase() };
      people.push({ person, account, at: i });
    }
    plan.push({ key, kind, account, deviceId: randomUUID(), person, messages: kind === 'new' ? newMessages(person) : returningMessages(person) });
  }
  return plan;
}

function newMessages(p: Person): PlannedConversation['messages'] {
  return [
    { author: 'visitor', text: `Hi, I'm ${p.firstName} ${p.lastName}, my email is ${p.email}. I'd like a quote for landscaping my backyard.` },
    { author: 'ai', text: 'Happy to help! How large is the area, roughly?' },
    { author: 'visitor', text: 'About 500 square feet, mostly lawn with a few old shrubs.' },
    { author: 'ai', text: 'Thanks, someone from the team will get back to you shortly.' },
  ];
}

function returningMessages(p: Person): PlannedConversation['messages'] {
  return [
    { author: 'visitor', text: `Hello again, this is ${p.firstName} ${p.lastName} (${p.email}). I have another question about my garden.` },
    { author: 'ai', text: 'Welcome back! What would you like to know?' },
    { author: 'visitor', text: 'Can you also trim the hedges when you come over?' },
    { author: 'ai', text: 'Of course, we will add that to the quote.' },
  ];
}

function anonymousMessages(): PlannedConversation['messages'] {
  return [
    { author: 'visitor', text: 'Hi, what are your opening hours?' },
    { author: 'ai', text: 'We are open from 9 to 5, Monday to Friday.' },
    { author: 'visitor', text: 'Great, thanks. Just browsing for now.' },
    { author: 'ai', text: 'You are welcome, have a nice day!' },
  ];
}

export interface BenchAccount {
  id: string;
  widgetKey: string;
  adminId: string;
  /** Members who hear about every conversation ("All events"). */
  recipients: string[];
}

export interface DriveTarget {
  ingestionUrl: string;
  accounts: BenchAccount[];
}

export interface DrivenConversation {
  planned: PlannedConversation;
  conversationId: string;
  startedAt: number;
  lastVisitorAt: number;
  finishedAt: number;
  retries: number;
}

export interface DriveOptions {
  /** Conversations in flight at once. */
  concurrency: number;
  /** Open loop: start conversations at this rate (per second); unset = as fast as `concurrency` allows. */
  ratePerSecond?: number;
  /** How long one request may keep failing (a service or the database being restarted) before the run gives up. */
  retryForMs: number;
  onDone?: (conversation: DrivenConversation) => void;
}

/** Plays the conversations over HTTP: visitor messages to the public web chat endpoint, AI replies as the account. */
export async function drive(plan: PlannedConversation[], target: DriveTarget, options: DriveOptions): Promise<DrivenConversation[]> {
  const done: DrivenConversation[] = [];
  const start = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= plan.length) return;
      if (options.ratePerSecond) {
        const due = start + (index * 1000) / options.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const result = await playConversation(plan[index]!, target, options.retryForMs);
      done.push(result);
      options.onDone?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return done;
}

async function playConversation(planned: PlannedConversation, target: DriveTarget, retryForMs: number): Promise<DrivenConversation> {
  const account = target.accounts[planned.account]!;
  const startedAt = Date.now();
  let conversationId = '';
  let lastVisitorAt = startedAt;
  let retries = 0;
  for (const [i, message] of planned.messages.entries()) {
    const clientMessageId = `${planned.key}-m${i}`;
    if (message.author === 'visitor') {
      const { body, attempts } = await postWithRetry(`${target.ingestionUrl}/v1/webchat/messages`, {
        widgetKey: account.widgetKey, deviceId: planned.deviceId, clientMessageId, text: message.text,
      }, {}, retryForMs);
      conversationId = (body as { conversationId: string }).conversationId;
      lastVisitorAt = Date.now();
      retries += attempts - 1;
    } else {
      const { attempts } = await postWithRetry(`${target.ingestionUrl}/v1/conversations/${conversationId}/replies`, {
        author: 'ai', clientMessageId, text: message.text,
      }, memberHeaders(account.id, { memberId: account.adminId, role: 'admin' }), retryForMs);
      retries += attempts - 1;
    }
  }
  return { planned, conversationId, startedAt, lastVisitorAt, finishedAt: Date.now(), retries };
}

/**
 * Posts until accepted. Network errors and 5xx (a service or its database restarting) are retried with the same
 * client message id, which the service stores once; anything else is a bug in the run and stops it.
 */
async function postWithRetry(url: string, body: unknown, headers: Record<string, string>, retryForMs: number): Promise<{ body: unknown; attempts: number }> {
  const deadline = Date.now() + retryForMs;
  let attempts = 0;
  let last = '';
  while (Date.now() <= deadline || attempts === 0) {
    attempts += 1;
    try {
      const response = await postJson(url, body, headers, 10_000);
      if (response.status >= 200 && response.status < 300) return { body: response.text ? JSON.parse(response.text) : {}, attempts };
      last = `HTTP ${response.status}: ${response.text.slice(0, 300)}`;
      if (response.status < 500 && response.status !== 429) throw new RequestRefused(`${url} refused the request: ${last}`);
    } catch (error) {
      if (error instanceof RequestRefused) throw error;
      last = (error as Error).message;
    }
    await sleep(Math.min(1000, 50 * attempts));
  }
  throw new Error(`${url} kept failing for ${retryForMs} ms: ${last}`);
}

/**
 * The load generator shares the machine with what it measures, so it uses node:http on kept-alive sockets:
 * fetch (undici) cost 4.4 ms of CPU per conversation (four requests), more than some services.
 */
const keptAlive = new Agent({ keepAlive: true, maxSockets: 256 });

export function postJson(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST', agent: keptAlive, timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** A 4xx answer: retrying the same request cannot help. */
class RequestRefused extends Error {}
