import { TransformationType, type ClassConstructor } from 'class-transformer';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// class-transformer keeps its decorators' metadata (@Type and the like) here; its index does not export it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata };

/**
 * A fast path for `validateEvent`: what `plainToInstance` + `validateSync({ whitelist: true })` answer for an event
 * that is valid, without their per-call machinery. Profiled in bench/e2e, those two were 9 to 19% of each service's
 * CPU (an idle conversation's event carries its whole transcript, checked message by message), almost all of it in
 * the libraries' bookkeeping (an error object per property, metadata look-ups, key scans), not in the checks.
 *
 * The checks are class-validator's own: each rule's registered constraint is called as class-validator calls it,
 * conditions (IsOptional, ValidateIf) decide as there, nested classes are class-transformer's @Type. The result is
 * built as plainToInstance builds it (an instance of the class; properties without rules dropped, as whitelist does).
 * It only ever says "valid, here is the instance" or "ask the libraries": anything it is not sure of (a failed
 * check, a Set, a promise, an option it does not model) goes the slow way, which then decides and explains. So a
 * payload is never accepted here that the libraries would refuse; differential-tested over the whole catalogue in
 * compiled-validation.spec.ts.
 */
export type FastValidator<T> = (plain: unknown) => T | undefined;

export interface FastValidationOptions {
  /**
   * `strip` (whitelist, as events are read): properties without rules are dropped. `refuse` (forbidNonWhitelisted,
   * as HTTP bodies are read): a payload with one goes the slow way, which answers which property should not exist.
   */
  unknownProperties: 'strip' | 'refuse';
}

interface Constraint {
  async: boolean;
  instance: { validate(value: unknown, args: ValidationArguments): unknown };
}

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: { metadata: ValidationMetadata; constraints: Constraint[] }[];
  /** The @Type class of a property with @ValidateNested. */
  nested: ClassPlan | null;
  /** @ValidateNested without a known class: only the libraries can say. */
  nestedUnknown: boolean;
}

interface ClassPlan {
  target: ClassConstructor<object>;
  properties: PropertyPlan[];
  byName: Map<string, PropertyPlan>;
}

const MODELLED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);

const plans = new WeakMap<object, ClassPlan | null>();

/** Made once per class and mode: every event read and every request body asks for its class's validator. */
const validators = { strip: new WeakMap<object, FastValidator<object>>(), refuse: new WeakMap<object, FastValidator<object>>() };

/** The fast validator of a payload class; always "ask the libraries" for a class using anything not modelled here. */
export function fastValidator<T extends object>(
  target: ClassConstructor<T>, options: FastValidationOptions = { unknownProperties: 'strip' },
): FastValidator<T> {
  const made = validators[options.unknownProperties];
  let validator = made.get(target);
  if (!validator) made.set(target, validator = makeValidator(target, options.unknownProperties === 'refuse'));
  return validator as FastValidator<T>;
}

function makeValidator(target: ClassConstructor<object>, refuseUnknown: boolean): FastValidator<object> {
  const plan = planOf(target);
  if (!plan) return () => undefined;
  return (plain) => (isBuildable(plan, plain) ? build(plan, plain, refuseUnknown) : undefined);
}

function planOf(target: ClassConstructor<object>, building = new Map<object, ClassPlan>()): ClassPlan | null {
  if (plans.has(target)) return plans.get(target)!;
  const inProgress = building.get(target);
  if (inProgress) return inProgress; // a class that nests itself
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false, undefined);
  if (metadatas.length === 0 || !metadatas.every(isModelled) || hasTransformerRules(target, metadatas)) {
    plans.set(target, null);
    return null;
  }
  const plan: ClassPlan = { target, properties: [], byName: new Map() };
  building.set(target, plan);
  const grouped = storage.groupByPropertyName(metadatas);
  for (const [name, group] of Object.entries(grouped)) {
    const property: PropertyPlan = {
      name,
      conditions: group.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      checks: group.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)
        .map((metadata) => ({ metadata, constraints: storage.getTargetValidatorConstraints(metadata.constraintCls) as Constraint[] })),
      nested: null,
      nestedUnknown: false,
    };
    if (group.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)) {
      const typeMetadata = defaultMetadataStorage.findTypeMetadata(target, name);
      const nestedClass = typeMetadata?.typeFunction?.({ newObject: {}, object: {}, property: name }) as ClassConstructor<object> | undefined;
      property.nested = nestedClass && !typeMetadata?.options?.discriminator ? planOf(nestedClass, building) : null;
      property.nestedUnknown = property.nested === null;
    }
    plan.properties.push(property);
    plan.byName.set(name, property);
  }
  // A class field without rules (whitelist would delete it from the new instance) is not modelled.
  const result = Object.keys(new target()).every((key) => plan.byName.has(key)) ? plan : null;
  plans.set(target, result);
  return result;
}

function isModelled(metadata: ValidationMetadata): boolean {
  return MODELLED.has(metadata.type) && !metadata.always && (metadata.groups ?? []).length === 0;
}

/** @Expose, @Exclude and @Transform change what plainToInstance builds: such classes go the slow way. */
function hasTransformerRules(target: ClassConstructor<object>, metadatas: readonly ValidationMetadata[]): boolean {
  return defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0
    || Object.getOwnPropertyNames(target.prototype).some((key) => key !== 'constructor')
    || [...new Set(metadatas.map((m) => m.propertyName))]
      .some((name) => defaultMetadataStorage.findTransformMetadatas(target, name, TransformationType.PLAIN_TO_CLASS).length > 0);
}

/**
 * A plain object, or an instance of the very class (a payload passing on part of a validated one, as extraction's
 * passes on the idle event's identifiers and capture settings): plainToInstance copies either's own properties.
 */
function isBuildable(plan: ClassPlan, value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || proto === plan.target.prototype;
}

/** The instance plainToInstance + whitelist would make, if every rule holds; undefined otherwise. */
function build(plan: ClassPlan, plain: Record<string, unknown>, refuseUnknown: boolean): object | undefined {
  const instance = new plan.target() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const property = plan.byName.get(key);
    if (!property) {
      if (refuseUnknown) return undefined;
      continue; // whitelist
    }
    const value = plain[key];
    if (property.nested && value !== undefined && value !== null) {
      const built = buildNested(property.nested, value, refuseUnknown);
      if (built === undefined) return undefined;
      instance[key] = built;
    } else {
      instance[key] = value;
    }
  }
  for (const property of plan.properties) if (!holds(property, instance)) return undefined;
  return instance;
}

/** A nested value as class-transformer makes it: an instance, or an array of them; anything else is not ours to judge. */
function buildNested(plan: ClassPlan, value: unknown, refuseUnknown: boolean): unknown {
  if (Array.isArray(value)) {
    const built: unknown[] = [];
    for (const element of value) {
      if (!isBuildable(plan, element)) return undefined;
      const instance = build(plan, element, refuseUnknown);
      if (instance === undefined) return undefined;
      built.push(instance);
    }
    return built;
  }
  return isBuildable(plan, value) ? build(plan, value, refuseUnknown) : undefined;
}

/** One property's rules, as ValidationExecutor.performValidations applies them (validateSync, default options). */
function holds(property: PropertyPlan, object: Record<string, unknown>): boolean {
  const value = object[property.name];
  for (const condition of property.conditions) {
    // Skipped, so not checked, and a nested value not whitelisted either: only plainToInstance's copy is right.
    if (!condition(object, value)) return !(property.nested && value instanceof Object);
  }
  // A nested property checked here is an instance (or array of them) built above; null or unknown: the slow way.
  if ((property.nested || property.nestedUnknown) && value !== undefined && (value === null || property.nestedUnknown)) return false;
  for (const { metadata, constraints } of property.checks) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const args: ValidationArguments = {
      targetName: object.constructor.name, property: metadata.propertyName, object, value, constraints: metadata.constraints,
    };
    for (const constraint of constraints) {
      if (constraint.async) continue; // validateSync ignores asynchronous constraints
      if (value instanceof Set || value instanceof Map) return false;
      const results = metadata.each && Array.isArray(value)
        ? value.map((element) => constraint.instance.validate(element, args)) : [constraint.instance.validate(value, args)];
      if (!results.every((result) => result === true)) return false; // false, or a promise: the slow way decides
    }
  }
  return true;
}
