import { memberHeaders } from '@leadline/testing';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

/** A JSON call as a member of the account (or without credentials when accountId is undefined). */
export async function http<T = any>(method: string, url: string, body?: unknown, accountId?: string, role: 'admin' | 'agent' = 'admin'): Promise<HttpAnswer<T>> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(accountId ? memberHeaders(accountId, { memberId: '0190f1a2-0000-7000-8000-000000000001', role }) : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}
