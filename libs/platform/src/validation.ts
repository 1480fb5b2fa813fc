import { fastValidator } from '@leadline/contracts';
import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';

export interface FieldProblem {
  field: string;
  reason: string;
}

export function fieldProblems(errors: ValidationError[], path = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * Nest's ValidationPipe, with the events' fast path (libs/contracts compiled-validation.ts) tried first for request
 * bodies: a body it accepts is the instance the pipe would make; anything else (invalid, an unknown property, a
 * class it does not model) goes through the pipe, which refuses it with every field and reason. Every web chat
 * message and AI reply is a body: the pipe's machinery was 5% of ingestion's CPU in bench/e2e.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && typeof metadata.metatype === 'function') {
      const valid = fastValidator(metadata.metatype as ClassConstructor<object>, { unknownProperties: 'refuse' })(value);
      if (valid !== undefined) return valid;
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** 400 with every field and its reason; unknown fields are refused rather than silently dropped. */
export function requestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: fields.map((f) => `${f.field}: ${f.reason}`).join('; '),
        fields,
      });
    },
  });
}
