import type { Span } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { hideQueryString } from './personal-data';

function recordingSpan(): { span: Span; attributes: Record<string, unknown> } {
  const attributes: Record<string, unknown> = { 'url.query': 'email=john%40email.com' };
  const span = { setAttribute: (key: string, value: unknown) => { attributes[key] = value; return span; } } as unknown as Span;
  return { span, attributes };
}

describe('personal data in spans', () => {
  const original = process.env['LOG_PERSONAL_DATA'];
  afterEach(() => {
    if (original === undefined) delete process.env['LOG_PERSONAL_DATA'];
    else process.env['LOG_PERSONAL_DATA'] = original;
  });

  it('replaces query strings (searches carry names and emails)', () => {
    delete process.env['LOG_PERSONAL_DATA'];
    const { span, attributes } = recordingSpan();
    hideQueryString(span, { url: '/v1/contacts?q=john%40email.com' } as IncomingMessage);
    expect(attributes).toEqual({ 'url.query': 'REDACTED', 'url.full': 'REDACTED', 'http.target': '/v1/contacts' });
  });

  it('keeps them when an operator turns personal data on', () => {
    process.env['LOG_PERSONAL_DATA'] = 'true';
    const { span, attributes } = recordingSpan();
    hideQueryString(span, { url: '/v1/contacts?q=john' } as IncomingMessage);
    expect(attributes).toEqual({ 'url.query': 'email=john%40email.com' });
  });
});
