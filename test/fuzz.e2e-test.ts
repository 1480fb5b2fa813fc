import { memberHeaders } from '@leadline/testing';
import { LeadlineStack, type Conversation, type TestAccount } from './support/leadline-stack';
import {
  BAD_PARAMS, BAD_RAW_BODIES, badAuthorizations, deepObject, hasBody, pick, random, wrongType,
} from './support/malformed';
import { resourceId, segmentBefore } from './support/resource-ids';
import { endpointsOf, fillPath, type Endpoint } from './support/route-catalogue';
import { conditionalProperties, validBody } from './support/request-shapes';

/**
 * FUZZ_REQUESTS (default 10,000) malformed requests spread over every endpoint of every service: bad
 * credentials, bad path parameters, bodies of the wrong shape, broken JSON and encodings, wrong content types,
 * oversized bodies, bad query strings, forged webhook signatures. Every one must be answered 4xx (no 5xx, no
 * 2xx), every service must still be ready afterwards, and no row anywhere may have changed. FUZZ_SEED replays a run.
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
  let endpoints: Endpoint[];

  beforeAll(async () => {
    // Rate limits stay on but high enough that they are not what answers.
    stack = await LeadlineStack.start();
    a = await stack.createAccount('Fuzzed');
    data = await stack.converse(a, 'fuzz.target@example.org');
    endpoints = Object.entries(stack.apps).flatMap(([service, app]) => endpointsOf(service, app));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  function ownPath(endpoint: Endpoint): string {
    return fillPath(endpoint, (p) => resourceId(a, data, p, segmentBefore(endpoint.path, p)) ?? '00000000-0000-4000-8000-000000000000');
  }

  function json(value: unknown): Record<string, string> {
    return { 'content-type': 'application/json', ...(value === undefined ? {} : {}) };
  }

  function make(rng: () => number, endpoint: Endpoint): Malformed {
    const own = memberHeaders(a.id, { memberId: a.admin, role: 'admin' });
    const valid = endpoint.body ? validBody(endpoint.body, (f) => resourceId(a, data, f) ?? '00000000-0000-4000-8000-000000000000') : {};
    const kinds = [
      ...(endpoint.public ? ['signature'] : ['credential', 'credential']),
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
      case 'signature':
        return {
          ...base, ...(body ? { body } : {}),
          headers: { ...json(body), [pick(rng, ['x-twilio-signature', 'x-leadline-signature', 'x-signature', 'x-hub-signature-256'])]: pick(rng, ['', 'abc', 'sha256=00', 'A'.repeat(500)]) },
        };
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

  it('answers every one 4xx, stays up, and stores nothing', async () => {
    const before = await stack.fingerprint();
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
  }, 600_000);
});

function isParseableJson(body: string | Buffer): boolean {
  try {
    JSON.parse(body.toString());
    return true;
  } catch {
    return false;
  }
}
