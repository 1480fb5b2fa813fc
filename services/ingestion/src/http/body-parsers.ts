import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Raw RFC 822 mail may carry attachments: it gets a larger limit than the 1 MB every other body gets. */
export const RAW_EMAIL_LIMIT_BYTES = 10 * 1024 * 1024;

/** The exact bytes of the request body, for webhook signatures computed over them. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return (request as FastifyRequest & { rawBody?: Buffer }).rawBody;
}

/**
 * Body parsing the channels need beyond Nest's defaults (JSON and form bodies, which Nest 11 already registers
 * with fast-querystring, so Twilio's form posts need no extra plugin):
 * - JSON keeps its raw bytes, because the voice and email webhooks are signed over exactly those bytes;
 * - `message/rfc822` (a raw email) arrives as a Buffer for mailparser.
 * Registered on the Fastify instance before it starts listening; a body over the limit is answered 413.
 */
@Injectable()
export class BodyParsers implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const jsonParser = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
      jsonParser(request, (body as Buffer).toString('utf8'), done);
    });
    fastify.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: RAW_EMAIL_LIMIT_BYTES }, (request, body, done) => {
      (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
      done(null, body);
    });
  }
}

@Module({ providers: [BodyParsers] })
export class BodyParsersModule {}
