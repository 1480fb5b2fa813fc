import { createParamDecorator, SetMetadata, UnauthorizedException, type ExecutionContext } from '@nestjs/common';

/** Who is calling: a member of an account (session token) or another system (API key). */
export interface Actor {
  kind: 'member' | 'system';
  accountId: string;
  /** Set for members. */
  memberId?: string;
  /** Set for members; systems act with admin rights within their account. */
  role?: 'admin' | 'agent';
}

/**
 * The caller the global AccessGuard verified and put on the request. Every route but @PublicEndpoint() ones
 * passes that guard, so a missing actor means a public endpoint asked for one: a programming error, not the
 * caller's, answered 401 so it can never act for an account it did not prove.
 */
export function actorOf(request: { actor?: Actor }): Actor {
  if (request.actor) return request.actor;
  throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'this endpoint needs a credential: send "Authorization: Bearer <API key or session token>"' });
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor =>
  actorOf(context.switchToHttp().getRequest()));

export const PUBLIC_ENDPOINT = 'leadline:public-endpoint';
/** An endpoint that takes no Leadline credential because it checks its own (webhook signatures, widget keys). */
export const PublicEndpoint = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ENDPOINT, true);

export const REQUIRED_ROLE = 'leadline:required-role';
/** Only admins (and systems acting for the account) may call this endpoint. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, 'admin');
