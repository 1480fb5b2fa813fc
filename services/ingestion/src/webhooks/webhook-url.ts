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

/**
 * The URL with the request's HTTP Basic credentials put back in it (`https://user:pass@host/...`), or undefined
 * without them. A webhook URL configured with credentials reaches the service as an Authorization header, while
 * the provider may have signed the URL as configured, credentials included (Twilio's SDKs verify such URLs).
 */
export function withBasicCredentials(url: string, authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const credentials = colon < 0 ? encodeURIComponent(user) : `${encodeURIComponent(user)}:${encodeURIComponent(decoded.slice(colon + 1))}`;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, `$1${credentials}@`);
}
