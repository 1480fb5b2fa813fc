import { NotFoundException } from '@nestjs/common';

/**
 * Every read and write names the account. A row of another account is answered exactly like a missing
 * one, so a credential of account A learns nothing about account B.
 */
export function foundInAccount<T extends { accountId: string }>(row: T | null | undefined, accountId: string, what: string): T {
  if (!row || row.accountId !== accountId) throw new NotFoundException(`${what} not found`);
  return row;
}
