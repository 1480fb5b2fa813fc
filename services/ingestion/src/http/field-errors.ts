import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { FieldProblem } from '@leadline/platform';

/** The same 400 body the global validation pipe gives: every field and its reason. */
export function invalidFields(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400, error: 'Bad Request', message: problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
    fields: problems,
  });
}

export function badSignature(message: string): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', message });
}
