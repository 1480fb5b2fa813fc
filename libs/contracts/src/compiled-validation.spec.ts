import { plainToInstance, type ClassConstructor } from 'class-transformer';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, IsString, validateSync, ValidationTypes } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EVENT_CATALOGUE } from './catalogue';
import { fastValidator } from './compiled-validation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata };

/**
 * What the libraries answer: the instance when valid, else undefined. As events are read (validateEvent's slow
 * way: unknown properties dropped), or as request bodies are (Nest's ValidationPipe in libs/platform: refused).
 */
function librariesAnswer(target: ClassConstructor<object>, plain: object, mode: 'strip' | 'refuse' = 'strip'): object | undefined {
  const instance = plainToInstance(target, plain);
  const options = mode === 'strip' ? { whitelist: true, forbidNonWhitelisted: false }
    : { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false };
  return validateSync(instance, options).length === 0 ? instance : undefined;
}

function isClassInstance(value: unknown): boolean {
  return value instanceof Object && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype;
}

/** A small deterministic random source, so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const GARBAGE: unknown[] = [null, 0, -1, 0.5, 7, '', 'x', 'not-a-uuid', true, false, [], {}, [1], ['x'], { a: 1 }, [null], 'a'.repeat(3000),
  '2026-13-45', 'ann@', 'ZZ', 'US'];
const STRINGS = ['US', 'GB', 'example.com', 'acme.example', '0'.repeat(64), 'ab'.repeat(32), 'hello', 'a'.repeat(20), 'Ann',
  '+15551234567', 'https://app.example/c/1'];

/** A payload for a class: mostly what its rules ask for, sometimes something else (a property wrong, missing or extra). */
function sample(target: ClassConstructor<object>, random: () => number, rate: number, depth = 0): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const grouped = getMetadataStorage().groupByPropertyName(getMetadataStorage().getTargetValidationMetadatas(target, '', false, false, undefined));
  const plain: Record<string, unknown> = {};
  for (const [name, rules] of Object.entries(grouped)) {
    const roll = random();
    if (roll < rate / 2) continue; // missing
    if (roll < rate) {
      plain[name] = pick(GARBAGE);
      continue;
    }
    const named = new Map(rules.filter((r) => r.type === ValidationTypes.CUSTOM_VALIDATION).map((r) => [r.name, r]));
    const nested = rules.some((r) => r.type === ValidationTypes.NESTED_VALIDATION)
      ? defaultMetadataStorage.findTypeMetadata(target, name)?.typeFunction?.({ newObject: {}, object: {}, property: name }) as ClassConstructor<object>
      : undefined;
    const one = (): unknown => {
      if (nested) return depth > 4 ? {} : sample(nested, random, rate, depth + 1);
      if (named.has('isIn')) return pick(named.get('isIn')!.constraints[0] as unknown[]);
      if (named.has('isUuid')) return randomUUID();
      if (named.has('isIso8601')) return new Date(Math.floor(random() * 2e12)).toISOString();
      if (named.has('isEmail')) return pick(['ann@example.com', 'bob.smith+x@mail.example']);
      if (named.has('isBoolean')) return random() < 0.5;
      if (named.has('isInt') || named.has('isNumber')) {
        const min = named.get('min')?.constraints[0] as number | undefined;
        const max = named.get('max')?.constraints[0] as number | undefined;
        const value = min ?? 0 + Math.floor(random() * 5);
        return named.has('isInt') ? Math.min(value, max ?? value) : Math.min(value + random(), max ?? Infinity);
      }
      if (named.has('matches')) {
        const [pattern, modifiers] = named.get('matches')!.constraints as [RegExp | string, string | undefined];
        const regex = typeof pattern === 'string' ? new RegExp(pattern, modifiers) : pattern;
        return STRINGS.find((s) => regex.test(s)) ?? 'x';
      }
      if (named.has('length')) return 'a'.repeat((named.get('length')!.constraints[0] as number) + Math.floor(random() * 3));
      return pick(STRINGS);
    };
    plain[name] = named.has('isArray') || (nested && random() < 0.1)
      ? Array.from({ length: Math.floor(random() * 4) }, one) : one();
  }
  if (random() < 0.1 + rate) plain['notInTheContract'] = pick(GARBAGE);
  return plain;
}

describe('the fast path of event validation agrees with class-transformer + class-validator', () => {
  const tally = { valid: 0, fastAlso: 0, fastWithInstances: 0 };

  it.each(EVENT_CATALOGUE.map((definition) => [definition.type, definition] as const))('%s', (_type, definition) => {
    const fast = fastValidator(definition.payload);
    const random = randomSource(definition.type.length * 7919);
    let valid = 0;
    let fastAlso = 0;
    for (let i = 0; i < 400; i += 1) {
      // Through JSON, as events arrive: what a payload looks like after the wire.
      const rate = [0, 0.02, 0.1][i % 3]!; // how often a property is wrong or missing
      const plain = JSON.parse(JSON.stringify(sample(definition.payload, random, rate))) as object;
      const expected = librariesAnswer(definition.payload, plain);
      const answer = fast(JSON.parse(JSON.stringify(plain)));
      if (answer !== undefined) {
        // Never accepts what the libraries refuse, and builds the same thing.
        expect({ payload: plain, verdict: expected === undefined ? 'refused' : 'accepted' }).toEqual({ payload: plain, verdict: 'accepted' });
        expect(answer.constructor).toBe(definition.payload);
        expect(JSON.stringify(answer)).toBe(JSON.stringify(expected));
      }
      if (expected !== undefined) valid += 1;
      if (expected !== undefined && answer !== undefined) fastAlso += 1;
      // A payload made of parts of a validated one (nested class instances, as extraction passes on the idle
      // event's identifiers): the same verdict and the same result.
      const withInstances = { ...plainToInstance(definition.payload, JSON.parse(JSON.stringify(plain)) as object) };
      const expectedFromInstances = librariesAnswer(definition.payload, withInstances);
      const answerFromInstances = fast(withInstances);
      if (answerFromInstances !== undefined) {
        expect({ payload: plain, verdict: expectedFromInstances === undefined ? 'refused' : 'accepted' }).toEqual({ payload: plain, verdict: 'accepted' });
        expect(JSON.stringify(answerFromInstances)).toBe(JSON.stringify(expectedFromInstances));
        if (Object.values(withInstances).flat().some(isClassInstance)) tally.fastWithInstances += 1;
      }
    }
    // Both kinds of payload were tried.
    expect(valid).toBeGreaterThan(20);
    expect(400 - valid).toBeGreaterThan(20);
    tally.valid += valid;
    tally.fastAlso += fastAlso;
  });

  it.each(EVENT_CATALOGUE.map((definition) => [definition.type, definition] as const))('%s as a request body (unknown properties refused)',
    (_type, definition) => {
      const fast = fastValidator(definition.payload, { unknownProperties: 'refuse' });
      const random = randomSource(definition.type.length * 104729);
      let refusedForUnknown = 0;
      for (let i = 0; i < 200; i += 1) {
        const plain = JSON.parse(JSON.stringify(sample(definition.payload, random, [0, 0.02, 0.1]![i % 3]!))) as Record<string, unknown>;
        const expected = librariesAnswer(definition.payload, plain, 'refuse');
        const answer = fast(plain);
        if (answer !== undefined) {
          expect({ payload: plain, verdict: expected === undefined ? 'refused' : 'accepted' }).toEqual({ payload: plain, verdict: 'accepted' });
          expect(JSON.stringify(answer)).toBe(JSON.stringify(expected));
        }
        if ('notInTheContract' in plain && expected === undefined) refusedForUnknown += 1;
      }
      expect(refusedForUnknown).toBeGreaterThan(0);
    });

  it('answers nearly every valid payload itself (the rest, e.g. a skipped nested value, go the slow way)', () => {
    expect(tally.valid).toBeGreaterThan(EVENT_CATALOGUE.length * 20);
    expect(tally.fastAlso / tally.valid).toBeGreaterThan(0.9);
    expect(tally.fastWithInstances).toBeGreaterThan(EVENT_CATALOGUE.length);
  });

  it('leaves anything it does not model to the libraries', () => {
    class Untyped {}
    expect(fastValidator(Untyped)({})).toBeUndefined();
    class WithAMethod { @IsString() name!: string; greet(): string { return this.name; } }
    expect(fastValidator(WithAMethod)({ name: 'Ann' })).toBeUndefined();
    class WithAnUnruledField { @IsString() name!: string; seen = false; }
    expect(fastValidator(WithAnUnruledField)({ name: 'Ann' })).toBeUndefined();
    class Ruled { @IsString() name!: string; }
    expect(fastValidator(Ruled)({ name: 'Ann', extra: 1 })).toEqual(Object.assign(new Ruled(), { name: 'Ann' }));
    expect(fastValidator(Ruled)({ name: 7 })).toBeUndefined();
    const [anyEvent] = EVENT_CATALOGUE;
    expect(fastValidator(anyEvent!.payload)(['an', 'array'])).toBeUndefined();
    expect(fastValidator(anyEvent!.payload)(new Map())).toBeUndefined();
  });
});
