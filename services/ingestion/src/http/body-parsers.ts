import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Every body is limited to 1 MB (the service's default) unless its route says otherwise with `@BodyLimit`. */
const BODY_LIMIT_KEY = 'bodyLimitBytes';

/**
 * A larger body limit for one route (bigger bodies are answered 413). Fastify's own per-route `bodyLimit`, set
 * through the route's config because Nest has no decorator for it.
 */
export const BodyLimit = (bytes: number): MethodDecorator => RouteConfig({ [BODY_LIMIT_KEY]: bytes });

/** The exact bytes of the request body, for webhook signatures computed over them. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return (request as FastifyRequest & { rawBody?: Buffer }).rawBody;
}

/**
 * Body parsing the channels need beyond Nest's defaults (JSON and form bodies, which Nest 11 already registers
 * with fast-querystring, so Twilio's form posts need no extra plugin):
 * - JSON keeps its raw bytes, because the voice and email webhooks are signed over exactly those bytes;
 * - `message/rfc822` (a raw email) arrives as a Buffer for mailparser;
 * - a route's `@BodyLimit` becomes its Fastify body limit.
 */
@Injectable()
export class BodyParsers implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {
    // Here rather than in onModuleInit: Nest registers the routes between the two, and Fastify runs onRoute hooks
    // only for routes registered after them.
    this.fastify().addHook('onRoute', (route) => {
      const limit = (route.config as Record<string, unknown> | undefined)?.[BODY_LIMIT_KEY];
      if (typeof limit === 'number') route.bodyLimit = limit;
    });
  }

  onModuleInit(): void {
    const fastify = this.fastify();
    const jsonParser = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
      jsonParser(request, (body as Buffer).toString('utf8'), done);
    });
    fastify.addContentTypeParser('message/rfc822', { parseAs: 'buffer' }, (request, body, done) => {
      (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
      done(null, body);
    });
  }

  private fastify(): FastifyInstance {
    return this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
  }
}

@Module({ providers: [BodyParsers] })
export class BodyParsersModule {}
