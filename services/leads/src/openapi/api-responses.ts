import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiParam, ApiResponse,
} from '@nestjs/swagger';
import { BadRequestView, ConflictView, NotFoundView } from '../leads/lead.view';

/** The answers most routes share: the success, 400 with fields, and 404 for what is not in the account. */
export function ApiAnswers(status: number, type: Type<unknown> | [Type<unknown>] | undefined, description: string, options: { conflict?: string; notFound?: string } = {}): MethodDecorator {
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    ApiResponse({ status, description, ...(type ? { type } : {}) }),
    ApiBadRequestResponse({ type: BadRequestView, description: 'Bad input: every field and its reason' }),
  ];
  if (options.notFound) decorators.push(ApiNotFoundResponse({ type: NotFoundView, description: options.notFound }));
  if (options.conflict) decorators.push(ApiConflictResponse({ type: ConflictView, description: options.conflict }));
  return applyDecorators(...decorators);
}

export const ApiLeadId = (): MethodDecorator => ApiParam({ name: 'leadId', format: 'uuid', description: 'The lead' });

export const INACTIVE_CONFLICT = 'The lead is inactive (Converted, Lost or Archived): the reason says so';
