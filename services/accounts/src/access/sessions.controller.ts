import { CurrentActor, readPrivateKey, signAccessToken, type Actor } from '@leadline/platform';
import { Body, Controller, ForbiddenException, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AccountsConfig } from '../accounts.config';
import { ACCOUNTS_CONFIG } from '../accounts.tokens';
import { Member } from '../members/member.entity';
import { isAdmin } from './account-scope';
import { CreateSessionDto } from './access.dto';

export interface SessionView {
  token: string;
  expiresAt: string;
  accountId: string;
  memberId?: string;
  role: 'admin' | 'agent';
}

/**
 * Session tokens. Leadline keeps no passwords: the business's own sign-in (its SSO, its app) authenticates a
 * team member and then, with the account's API key (or an admin's session), asks for that member's session
 * token here. A member may renew their own token; an agent may not mint one for anybody else. A system caller
 * without `memberId` exchanges its API key for a short-lived system token, so the key itself travels less.
 */
@Controller('v1/sessions')
export class SessionsController {
  private readonly signingKey: KeyObject;
  private readonly ttlSeconds: number;

  constructor(private readonly dataSource: DataSource, @Inject(ACCOUNTS_CONFIG) config: AccountsConfig) {
    this.signingKey = readPrivateKey(config.SESSION_PRIVATE_KEY);
    this.ttlSeconds = config.SESSION_TTL_SECONDS;
  }

  @Post()
  @HttpCode(201)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateSessionDto): Promise<SessionView> {
    const memberId = dto.memberId ?? (actor.kind === 'member' ? actor.memberId : undefined);
    if (!memberId) return this.issue(actor.accountId, { sub: 'system:api-key', kind: 'system', role: 'admin' });
    if (!isAdmin(actor) && memberId !== actor.memberId) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'an agent may only renew their own session' });
    }
    const member = await this.dataSource.manager.findOneBy(Member, { id: memberId, accountId: actor.accountId });
    if (!member || !member.active) throw new NotFoundException('member not found (or not active)');
    return { ...this.issue(actor.accountId, { sub: member.id, kind: 'member', role: member.role }), memberId: member.id };
  }

  private issue(accountId: string, claims: { sub: string; kind: 'member' | 'system'; role: 'admin' | 'agent' }): SessionView {
    const now = Date.now();
    const token = signAccessToken(this.signingKey, { ...claims, acc: accountId }, this.ttlSeconds, now);
    return { token, expiresAt: new Date(Math.floor(now / 1000) * 1000 + this.ttlSeconds * 1000).toISOString(), accountId, role: claims.role };
  }
}
