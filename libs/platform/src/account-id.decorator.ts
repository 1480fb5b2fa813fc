import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { isUUID } from 'class-validator';

/**
 * The account a request acts for, from `X-Account-Id`. Credentials that carry the account replace this
 * header when access control lands (issue 8); every query is already scoped by it.
 */
export const AccountId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
  const value = request.headers['x-account-id'];
  if (!value || !isUUID(value)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'X-Account-Id: must be the account\'s UUID', fields: [{ field: 'X-Account-Id', reason: 'must be a UUID' }] });
  return value;
});
