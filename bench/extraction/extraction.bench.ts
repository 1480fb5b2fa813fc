// Conversations per second on one core for the default (rules) extractor, on generated
// 4-to-8-message conversations: visitor and assistant turns, names, phones, e-mails, addresses,
// corrections, business numbers in AI replies, and conversations that share nothing.
//
//   node tools/run-ts.js bench/extraction/extraction.bench.ts [COUNT]
import { TranscriptMessage } from '../../services/extraction/src/extractor/extraction.types';
import { RulesExtractor } from '../../services/extraction/src/extractor/rules-extractor';

// A small deterministic generator (mulberry32) so every run measures the same conversations.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['John', 'Sarah', 'Grace', 'Oliver', 'Lena', 'Raj', 'Megan', 'Tyler', 'Dana', 'Ethan', 'Priya', 'Mateo', 'Chloe', 'Kwame', 'Yuki'];
const LAST = ['Smith', 'Liu', 'Hughes', 'Schneider', 'Malhotra', 'Foster', 'Park', 'Brooks', 'Garcia', 'Okafor', 'Tanaka', 'Novak'];
const JOBS = ['a quote for backyard landscaping', 'to schedule a cleaning', 'pricing for weekly pool maintenance', 'a roof inspection', 'an EV charger installed', 'a consultation about a loft conversion', '200 branded boxes'];
const DETAILS = ['The yard is about 500 sq ft.', 'We have 3 bedrooms and 2 baths.', 'Budget is around $2,000.', 'It is fairly urgent, the pipe is leaking.', 'Afternoons work best for me.', 'No rush, sometime next month.'];
const STREETS = ['77 Orchard Lane, San Jose, CA 95112', '1409 Pine St Apt 3B, Seattle WA 98101', '12 Elm Street, Denver, CO 80202', '5 Harbor Rd, Boston, MA 02110'];
const AI_REPLIES = [
  'Thanks for reaching out to Oak Street Services! Call us any time at (503) 555-0100.',
  'Happy to help. May I have your name?',
  "What's the best number to reach you?",
  'Could I get your email so we can send the estimate?',
  'Which day works best for a site visit?',
  'Great, and what is the service address?',
];

export function generateConversation(rand: () => number): TranscriptMessage[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const first = pick(FIRST);
  const last = pick(LAST);
  const phone = `${200 + Math.floor(rand() * 700)}-555-0${String(100 + Math.floor(rand() * 899))}`;
  const visitorLines = [
    `Hi, I'd like ${pick(JOBS)}.`,
    pick(DETAILS),
    rand() < 0.5 ? `I'm ${first} ${last}, you can reach me at ${phone}.` : `${first.toLowerCase()} ${last.toLowerCase()}`,
    `My email is ${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    `The address is ${pick(STREETS)}.`,
    rand() < 0.3 ? `Sorry, actually my number is ${phone.replace(/\d$/, '7')}.` : 'Please call me in the afternoon.',
    'Do you have any openings this week?',
    'Thanks!',
  ];
  const length = 4 + Math.floor(rand() * 5); // 4..8 messages
  const messages: TranscriptMessage[] = [];
  let line = 0;
  for (let i = 0; i < length; i++) {
    const author = i % 2 === 0 ? 'visitor' : 'ai';
    // Visitor turns move through the story, sometimes skipping a beat.
    const text = author === 'visitor' ? visitorLines[Math.min(line, visitorLines.length - 1)] : pick(AI_REPLIES);
    if (author === 'visitor') line += 1 + Math.floor(rand() * 2);
    messages.push({ id: `m${i + 1}`, author, text });
  }
  return messages;
}

export interface BenchResult { count: number; elapsedMs: number; perSecond: number; cpuMs: number; perCpuSecond: number }

/**
 * Wall-clock time says what one process achieved; CPU time (user + system of this process) says
 * what one core achieves when it is not shared, which is the figure to compare with the target
 * on a busy machine.
 */
export function runBench(count: number): BenchResult {
  const rand = random(42);
  const conversations = Array.from({ length: count }, () => generateConversation(rand));
  const extractor = new RulesExtractor();
  // Warm-up: loads the lexicons and lets V8 optimise before anything is timed.
  for (const c of conversations.slice(0, 500)) extractor.extractSync({ messages: c });
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const c of conversations) extractor.extractSync({ messages: c, defaultRegion: 'US' });
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { count, elapsedMs, perSecond: (count / elapsedMs) * 1000, cpuMs, perCpuSecond: (count / cpuMs) * 1000 };
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 20000);
  const r = runBench(count);
  process.stdout.write(
    `rules extractor: ${count} conversations (4-8 messages), one thread: ${r.elapsedMs.toFixed(0)} ms wall = ${r.perSecond.toFixed(0)} conversations/s; ` +
      `${r.cpuMs.toFixed(0)} ms CPU = ${r.perCpuSecond.toFixed(0)} conversations per CPU-second (target >= 2000)\n`,
  );
}
