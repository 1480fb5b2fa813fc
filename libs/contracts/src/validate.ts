import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { fastValidator } from './compiled-validation';
import type { EventDefinition } from './event-definition';
import { memoiseValidationMetadata } from './validation-metadata-cache';

memoiseValidationMetadata();

export class InvalidEventError extends Error {
  constructor(readonly eventType: string, readonly problems: string[]) {
    super(`invalid ${eventType}: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

function describe(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const field = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => `${field}: ${reason}`);
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Checks a payload against its event's rules; returns the typed instance or throws with every problem. */
export function validateEvent<T extends object>(definition: EventDefinition<T>, data: unknown): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidEventError(definition.type, ['payload must be a JSON object']);
  }
  const valid = fastValidator(definition.payload)(data);
  if (valid) return valid;
  const instance = plainToInstance(definition.payload, data);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0) throw new InvalidEventError(definition.type, describe(errors));
  return instance;
}
