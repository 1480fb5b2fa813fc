import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ACCOUNTS_CONFIG } from '../accounts.tokens';
import type { AccountsConfig } from '../accounts.config';

/**
 * Creating an account is the platform operator's act, not any account's: it takes the operator key, whose
 * SHA-256 is OPERATOR_KEY_SHA256. Compared in constant time.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(ACCOUNTS_CONFIG) config: AccountsConfig) {
    this.expected = Buffer.from(config.OPERATOR_KEY_SHA256, 'hex');
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['authorization'];
    const key = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    const given = createHash('sha256').update(key).digest();
    if (key.length === 0 || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'creating an account takes the operator key: send "Authorization: Bearer <operator key>"' });
    }
    return true;
  }
}
