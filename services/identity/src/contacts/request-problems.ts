import { BadRequestException } from '@nestjs/common';
import type { FieldProblem } from '@leadline/platform';

/** The same 400 body the global ValidationPipe gives, for checks class-validator cannot make. */
export function badRequest(fields: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400, error: 'Bad Request', message: fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields,
  });
}
