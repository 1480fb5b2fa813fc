import { badRequest } from '../contacts/request-problems';

/**
 * Opaque keyset cursors: the sort key of the last item, base64url JSON. Keyset (not offset) pagination stays
 * as fast on the thousandth page as on the first.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((part) => typeof part === 'string')) return key as string[];
  } catch {
    // falls through to the 400 below
  }
  throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API gave out: pass nextCursor from the previous page as it is' }]);
}
