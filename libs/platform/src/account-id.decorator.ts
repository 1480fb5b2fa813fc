import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { actorOf } from './actor.decorator';

/** The account a request acts for, from its credential; every query is scoped by it. */
export const AccountId = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  actorOf(context.switchToHttp().getRequest()).accountId);
