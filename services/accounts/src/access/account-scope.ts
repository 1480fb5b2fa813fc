import { NotFoundException } from '@nestjs/common';
import type { Actor } from '@leadline/platform';

/** A credential only reaches its own account; any other account answers exactly as one that does not exist. */
export function requireOwnAccount(actor: Actor, accountId: string): void {
  if (actor.accountId !== accountId) throw new NotFoundException('account not found');
}

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin';
}
