import { createLogger, PinoNestLogger } from '@leadline/observability';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { installRequestHygiene } from './request-hygiene';
import { requestValidationPipe } from './validation';

export interface ServiceAppOptions {
  serviceName: string;
  logLevel?: string;
  /** Largest request body accepted; bigger ones get 413. */
  bodyLimitBytes?: number;
}

/** A Nest app on Fastify with the common validation, logging and graceful shutdown. */
export async function createServiceApp(rootModule: Type<unknown> | DynamicModule, options: ServiceAppOptions): Promise<NestFastifyApplication> {
  const logger = createLogger(options.serviceName, options.logLevel);
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: true });
  installRequestHygiene(adapter.getInstance());
  const routes: ServiceRoute[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, path: route.url });
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule, adapter, { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  routesByApp.set(app, routes);
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  return app;
}

export interface ServiceRoute {
  method: string;
  /** Fastify's form: `/v1/leads/:leadId`. */
  path: string;
}

const routesByApp = new WeakMap<INestApplication, ServiceRoute[]>();

/** Every route the app serves, as Fastify registered it: tests enumerate them to cover every endpoint. */
export function serviceRoutes(app: INestApplication): ServiceRoute[] {
  return [...(routesByApp.get(app) ?? [])];
}

export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}
