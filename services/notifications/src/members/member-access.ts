import type { Actor } from '@leadline/platform';
import { ForbiddenException } from '@nestjs/common';

/** A member acts for themself; admins and systems (API keys) act for anyone of their account. */
export function assertMayActFor(actor: Actor, memberId: string): void {
  if (actor.kind === 'system' || actor.role === 'admin' || actor.memberId === memberId) return;
  throw new ForbiddenException(`only member ${memberId} or an admin may change this; sign in as them or ask an admin`);
}

/** Admin-only routes: also checked here, so the rule holds whatever guard runs in front of the controller. */
export function assertAdmin(actor: Actor): void {
  if (actor.kind === 'system' || actor.role === 'admin') return;
  throw new ForbiddenException('only an admin of the account may do this');
}
