import type { FastifyRequest } from 'fastify';

/**
 * The URL a provider called, as it signed it. Behind a proxy or tunnel the service cannot see it, so
 * PUBLIC_WEBHOOK_URL (e.g. `https://hooks.example.com/ingestion`) replaces scheme, host and any path prefix;
 * without it, the request's own (X-Forwarded-Proto/Host are honoured: the app trusts its proxy).
 */
export function publicRequestUrl(request: FastifyRequest, publicBase: string | undefined): string {
  if (publicBase) return `${publicBase.replace(/\/+$/, '')}${request.url}`;
  return `${request.protocol}://${request.host}${request.url}`;
}
