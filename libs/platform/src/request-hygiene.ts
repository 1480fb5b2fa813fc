import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Refusals every service shares, before a request reaches a controller:
 * - a NUL character (`%00` in the URL, `\u0000` in a body string or key): PostgreSQL cannot store it in text,
 *   so it would surface as a 500 from deep inside a query; it is never meaningful input, so it is a 400 here;
 * - a body in a charset other than UTF-8: the parsers only decode UTF-8, so anything else is a 415 rather than
 *   mojibake taken at face value;
 * - a body nested deeper than 32 levels: no Leadline payload comes near it, and recursive validators and JSON
 *   columns should never see an attacker's 10,000-level structure;
 * - `text/plain` bodies: no endpoint takes them, and Fastify's default parser would hand a string to endpoints
 *   that ignore their body, so it is removed (415). Services add the parsers they need (CSV, raw email).
 */
export function installRequestHygiene(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (/%00/.test(request.url) || request.url.includes('\u0000')) {
      void reply.code(400).send(problem('url', 'must not contain NUL (%00) characters'));
      return;
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      void reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `charset ${charset} is not supported: send UTF-8` });
      return;
    }
    // Bodies are parsed as sent; nothing decompresses them. A compressed (or claimed-compressed) body would be
    // read as if it were plain, so any coding but identity is refused rather than misread.
    const coding = request.headers['content-encoding']?.trim().toLowerCase();
    if (coding && coding !== 'identity') {
      void reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `Content-Encoding ${coding} is not supported: send the body uncompressed` });
      return;
    }
    done();
  });
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const found = problemIn(request.body, 'body', 0);
    if (found) {
      void reply.code(400).send(problem(found.field, found.reason));
      return;
    }
    done();
  });
}

export const MAX_BODY_DEPTH = 32;
const NUL = 'must not contain NUL (\\u0000) characters';

/** The first NUL character or too-deep nesting in a parsed body, if any. */
function problemIn(value: unknown, path: string, depth: number): { field: string; reason: string } | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? { field: path, reason: NUL } : undefined;
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return undefined;
  if (depth >= MAX_BODY_DEPTH) return { field: path, reason: `is nested deeper than ${MAX_BODY_DEPTH} levels` };
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? { field: `${path}.${key}`, reason: NUL } : problemIn(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function problem(field: string, reason: string) {
  return { statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, fields: [{ field, reason }] };
}
