import { memberHeaders } from '@leadline/testing';
import { gzipSync } from 'node:zlib';
import { seedResources, type Resources } from './support/account-resources';
import { LeadlineStack, type Conversation, type TestAccount } from './support/leadline-stack';
import {
  BAD_PARAMS, BAD_RAW_BODIES, badAuthorizations, deepObject, hasBody, pick, random, wrongType,
} from './support/malformed';
import { PUBLIC_CASES, signedChannels, type Channels } from './support/public-requests';
import { resourceId, segmentBefore } from './support/resource-ids';
import { endpointsOf, fillPath, type Endpoint } from './support/route-catalogue';
import { conditionalProperties, validBody } from './support/request-shapes';

/**
 * FUZZ_REQUESTS (default 10,000) malformed requests spread over every endpoint of every service: bad
 * credentials, bad path parameters, bodies of the wrong shape, broken JSON and encodings (compressed, UTF-16,
 * invalid bytes), wrong content types, oversized bodies and headers, bad query strings, and for the public
 * endpoints forged, missing, stale and altered signatures on the account's real channels (so the signature is
 * what refuses them). Every one must be answered 4xx (no 5xx, no 2xx), every service must still be ready
 * afterwards, no row anywhere may have changed, no event may have been queued or published. FUZZ_SEED replays a run.
 */
const TOTAL = Number(process.env['FUZZ_REQUESTS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 8);
const CONCURRENCY = 16;

interface Malformed {
  kind: string;
  endpoint: Endpoint;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

describe(`a fuzz run of ${TOTAL} malformed requests`, () => {
  let stack: LeadlineStack;
  let a: TestAccount;
  let data: Conversation;
  let more: Resources;
  let channels: Channels;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    // Rate limits stay on but high enough that they are not what answers.
    stack = await LeadlineStack.start();
    a = await stack.createAccount('Fuzzed');
    data = await stack.converse(a, 'fuzz.target@example.org');
    more = await seedResources(stack, a, data);
    channels = await signedChannels(stack, a, data.deviceId);
    endpoints = Object.entries(stack.apps).flatMap(([service, app]) => endpointsOf(service, app));
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  function ownPath(endpoint: Endpoint): string {
    return fillPath(endpoint, (p) => resourceId(a, data, p, segmentBefore(endpoint.path, p), more) ?? '00000000-0000-4000-8000-000000000000');
  }

  function json(value: unknown): Record<string, string> {
    return { 'content-type': 'application/json', ...(value === undefined ? {} : {}) };
  }

  function make(rng: () => number, endpoint: Endpoint): Malformed {
    const own = memberHeaders(a.id, { memberId: a.admin, role: 'admin' });
    const valid = endpoint.body ? validBody(endpoint.body, (f) => resourceId(a, data, f, '', more) ?? '00000000-0000-4000-8000-000000000000') : {};
    const kinds = [
      ...(endpoint.public ? ['signature', 'signature', 'signature'] : ['credential', 'credential']),
      'headers',
      ...(hasBody(endpoint) ? ['encoding'] : []),
      ...(endpoint.params.length > 0 ? ['path', 'path'] : []),
      ...(hasBody(endpoint) && endpoint.body ? ['body', 'body', 'syntax', 'content-type'] : []),
      ...(hasBody(endpoint) && !endpoint.body ? ['unparseable'] : []),
      ...(hasBody(endpoint) && rng() < 0.02 ? ['size'] : []),
      ...(endpoint.method === 'GET' && endpoint.query ? ['query'] : []),
    ];
    const kind = pick(rng, kinds);
    const body = hasBody(endpoint) ? JSON.stringify(valid) : undefined;
    const base = { kind, endpoint, path: ownPath(endpoint) };
    switch (kind) {
      case 'credential': {
        const authorization = pick(rng, badAuthorizations(a.id, own['authorization']!.slice(7)));
        return { ...base, headers: { ...json(body), ...(authorization === undefined ? {} : { authorization }) }, ...(body ? { body } : {}) };
      }
      case 'signature': {
        // The public endpoint's own kind of request, to the account's real channel, with a bad signature.
        const forged = pick(rng, publicCase(endpoint).forgeries(channels, stack.urls['ingestion']!));
        return { ...base, path: forged.path, headers: forged.headers, ...(forged.body === undefined ? {} : { body: forged.body }) };
      }
      case 'headers': {
        const headers: Record<string, string> = { ...(endpoint.public ? {} : own), ...json(body) };
        const how = pick(rng, ['huge', 'many', 'cookie']);
        if (how === 'huge') headers['x-filler'] = 'a'.repeat(70_000);
        else if (how === 'many') for (let i = 0; i < 400; i += 1) headers[`x-h${i}`] = 'v'.repeat(100);
        else headers['cookie'] = `s=${'c'.repeat(20_000)}`;
        return { ...base, headers, ...(body ? { body } : {}) };
      }
      case 'encoding': {
        const text = body ?? '{}';
        const how = pick(rng, ['gzip', 'utf16', 'bytes', 'unknown-encoding']);
        const encoded = how === 'gzip' ? gzipSync(text) : how === 'utf16' ? Buffer.from(`\ufeff${text}`, 'utf16le')
          : how === 'bytes' ? Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('}')]) : Buffer.from(text);
        const headers: Record<string, string> = { ...(endpoint.public ? {} : own), 'content-type': 'application/json' };
        if (how === 'gzip') headers['content-encoding'] = 'gzip';
        if (how === 'unknown-encoding') headers['content-encoding'] = pick(rng, ['br', 'compress', 'x-leadline']);
        return { ...base, headers, body: encoded };
      }
      case 'path': {
        const path = fillPath(endpoint, () => pick(rng, BAD_PARAMS));
        return { ...base, path, headers: { ...own, ...json(body) }, ...(body ? { body } : {}) };
      }
      case 'body': {
        const mutated: Record<string, unknown> = { ...valid };
        const conditional = conditionalProperties(endpoint.body!);
        const keys = Object.keys(mutated).filter((key) => !conditional.has(key));
        const how = keys.length === 0 ? 'extra' : pick(rng, ['type', 'type', 'extra', 'deep']);
        const key = keys.length > 0 ? pick(rng, keys) : 'x';
        if (how === 'type') mutated[key] = wrongType(rng, mutated[key]);
        else if (how === 'deep') mutated[key] = deepObject(200);
        else mutated[pick(rng, ['isAdmin', 'accountId_', 'zz', '$where', 'role '])] = pick(rng, [true, 'x', 1]);
        return { ...base, headers: { ...own, 'content-type': 'application/json' }, body: JSON.stringify(mutated) };
      }
      case 'syntax':
      case 'unparseable': {
        const choices = kind === 'syntax' ? BAD_RAW_BODIES : BAD_RAW_BODIES.filter((b) => !isParseableJson(b));
        return { ...base, headers: { ...own, 'content-type': 'application/json' }, body: pick(rng, choices) };
      }
      case 'content-type':
        return {
          ...base, headers: { ...own, 'content-type': pick(rng, ['application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'image/png', 'application/x-www-form-urlencoded']) },
          body: body ?? '{}',
        };
      case 'size':
        return { ...base, headers: { ...own, 'content-type': 'application/json' }, body: `{"x":"${'a'.repeat(1_100_000)}"}` };
      case 'query': {
        const query = pick(rng, ['__proto__[admin]=1', 'zzz=1', 'limit=-5&zzz=1', `accountId=${a.id}&zzz=1`, 'cursor[$ne]=1&zzz=2']);
        return { ...base, path: `${base.path}?${query}`, headers: own };
      }
      default:
        throw new Error(`unknown kind ${kind}`);
    }
  }

  function publicCase(endpoint: Endpoint) {
    const found = PUBLIC_CASES[`${endpoint.method} ${endpoint.service}${endpoint.path}`];
    if (!found) throw new Error(`public endpoint ${endpoint.method} ${endpoint.service}${endpoint.path} has no case in test/support/public-requests.ts: add how it is called`);
    return found;
  }

  /**
   * Events queued since `since` (outbox rows of any service) and ever published (the sum of the run's streams'
   * last sequence numbers, which only grow): neither may move while the fuzz runs.
   */
  async function events(since: Date): Promise<{ queued: number; published: number }> {
    const schemas = await stack.run.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'outbox_events' AND table_schema LIKE $1`, [`%\\_${stack.run.prefix}`]);
    expect(schemas).toHaveLength(Object.keys(stack.apps).length); // every service's outbox is looked at
    let queued = 0;
    for (const { schema } of schemas) {
      queued += (await stack.run.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".outbox_events WHERE created_at >= $1`, [since]))[0]!.n;
    }
    let published = 0;
    for await (const name of stack.run.jsm.streams.names()) {
      if (name.startsWith(`${stack.run.prefix}_`)) published += (await stack.run.jsm.streams.info(name)).state.last_seq;
    }
    return { queued, published };
  }

  it('has a way to call every public endpoint with a forged signature', () => {
    for (const endpoint of endpoints.filter((e) => e.public)) expect(publicCase(endpoint).forgeries(channels, 'http://x').length).toBeGreaterThan(0);
  });

  it('answers every one 4xx, stays up, and stores nothing', async () => {
    // What seeding set off (leads, notifications, their events) settles first.
    let before = await stack.fingerprint();
    for (let previous = ''; previous !== JSON.stringify(before);) {
      previous = JSON.stringify(before);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      before = await stack.fingerprint();
    }
    const fuzzStart = new Date();
    const eventsBefore = await events(fuzzStart);
    expect(eventsBefore.published).toBeGreaterThan(0); // the streams are found: a publish would show
    const rng = random(SEED);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const index = next++;
        const request = make(rng, endpoints[index % endpoints.length]!);
        let status: number;
        let text = '';
        try {
          const response = await fetch(`${stack.urls[request.endpoint.service]}${request.path}`, {
            method: request.endpoint.method, headers: request.headers,
            ...(request.body !== undefined && hasBody(request.endpoint) ? { body: request.body } : {}),
          });
          status = response.status;
          text = await response.text();
        } catch (error) {
          status = 0;
          text = (error as Error).message;
        }
        sent += 1;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status < 400 || status >= 500) {
          failures.push(`${status} ${request.kind} ${request.endpoint.method} ${request.endpoint.service}${request.path.slice(0, 160)} body=${String(request.body ?? '').slice(0, 160)} -> ${text.slice(0, 200)}`);
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`fuzz: ${sent} malformed requests across ${endpoints.length} endpoints in ${seconds.toFixed(1)} s (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; failures ${failures.length}\n${[...new Set(failures)].slice(0, 40).join('\n')}\n`);
    expect(sent).toBe(TOTAL);
    expect(failures).toEqual([]);
    for (const service of Object.keys(stack.urls)) expect((await stack.call(service, 'GET', '/health/ready')).status).toBe(200);
    expect(await stack.fingerprint()).toEqual(before);
    expect(await events(fuzzStart)).toEqual({ ...eventsBefore, queued: 0 });
  }, 900_000);
});

function isParseableJson(body: string | Buffer): boolean {
  try {
    JSON.parse(body.toString());
    return true;
  } catch {
    return false;
  }
}
