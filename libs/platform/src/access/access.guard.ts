import {
  ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ENDPOINT, REQUIRED_ROLE, type Actor } from '../actor.decorator';
import { ACCESS_OPTIONS, type AccessOptions } from './access.options';
import { hashApiKey, looksLikeApiKey } from './api-key';
import { CredentialDirectory } from './credential-directory';
import { VerifiedTokens } from './verified-tokens';

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/;

/**
 * Every route needs a credential unless it is marked @PublicEndpoint() (webhooks and widgets check their own,
 * health probes need none): `Authorization: Bearer <API key | session token>`. It puts the verified caller on
 * `request.actor`; a missing or bad credential is 401 and an agent on an @AdminOnly() route 403. Each answer
 * says what was wrong but never which part of a credential failed, so it cannot be probed piece by piece.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly tokens: VerifiedTokens;

  constructor(
    private readonly reflector: Reflector,
    private readonly directory: CredentialDirectory,
    @Inject(ACCESS_OPTIONS) options: AccessOptions,
  ) {
    this.tokens = new VerifiedTokens(options.sessionPublicKey);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ENDPOINT, targets)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const actor = this.authenticate(request);
    request.actor = actor;
    const required = this.reflector.getAllAndOverride<string>(REQUIRED_ROLE, targets);
    if (required === 'admin' && actor.kind === 'member' && actor.role !== 'admin') {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'only an admin of the account may do this' });
    }
    return true;
  }

  private authenticate(request: GuardedRequest): Actor {
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw unauthorized('send "Authorization: Bearer <API key or session token>"');
    const credential = match[1]!;
    const actor = looksLikeApiKey(credential) ? this.fromApiKey(credential) : this.fromToken(credential);
    if (!actor) throw unauthorized('the credential is unknown, revoked or expired');
    return actor;
  }

  private fromApiKey(key: string): Actor | undefined {
    const entry = this.directory.apiKey(hashApiKey(key));
    if (!entry || entry.revoked) return undefined;
    return { kind: 'system', accountId: entry.accountId };
  }

  private fromToken(token: string): Actor | undefined {
    const claims = this.tokens.claimsOf(token);
    if (!claims) return undefined;
    if (claims.kind === 'system') return { kind: 'system', accountId: claims.acc };
    // The directory knows the member's current state: a removed or deactivated member's token stops working,
    // and a changed role applies at once. A member it has not heard of keeps the role the token was issued with.
    const member = this.directory.member(claims.sub);
    if (member && (!member.active || member.accountId !== claims.acc)) return undefined;
    return { kind: 'member', accountId: claims.acc, memberId: claims.sub, role: member?.role ?? claims.role };
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}
