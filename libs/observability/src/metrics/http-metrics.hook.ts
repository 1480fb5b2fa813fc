import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HttpMetrics, isHousekeepingRoute } from './http-metrics';

interface FastifyLike {
  addHook(
    name: 'onResponse',
    hook: (
      request: { method: string; url: string; routeOptions?: { url?: string } },
      reply: { statusCode: number; elapsedTime: number },
    ) => Promise<void>,
  ): unknown;
}

/**
 * Records every answered request from Fastify's `onResponse` hook rather than a Nest interceptor: the hook
 * also sees requests refused by guards, unknown routes (404) and body-parser errors, which never reach one.
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  private readonly metrics = new HttpMetrics();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // a standalone application context (a CLI) has no HTTP server
    const fastify = adapter.getInstance() as FastifyLike;
    if (typeof fastify.addHook !== 'function') return;
    fastify.addHook('onResponse', async (request, reply) => {
      if (isHousekeepingRoute(request.url)) return;
      this.metrics.record({
        method: request.method,
        route: request.routeOptions?.url ?? 'unmatched',
        statusCode: reply.statusCode,
        durationSeconds: reply.elapsedTime / 1000,
      });
    });
  }
}
