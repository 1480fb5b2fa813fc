import type { Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * Personal data (emails, phones, names, message text) stays out of spans unless an operator sets
 * LOG_PERSONAL_DATA=true. Request bodies and headers are never recorded by the HTTP instrumentation; query
 * strings are (`url.query`), and searches carry names and emails there, so they are replaced.
 */
export function personalDataAllowed(): boolean {
  return process.env['LOG_PERSONAL_DATA'] === 'true';
}

export function hideQueryString(span: Span, request: ClientRequest | IncomingMessage): void {
  if (personalDataAllowed()) return;
  const target = 'url' in request && typeof request.url === 'string' ? request.url : (request as ClientRequest).path;
  if (typeof target === 'string' && target.includes('?')) {
    span.setAttribute('url.query', 'REDACTED');
    span.setAttribute('url.full', 'REDACTED');
    span.setAttribute('http.target', target.slice(0, target.indexOf('?')));
  }
}
