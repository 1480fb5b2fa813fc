import { createLogger, PinoNestLogger } from '@leadline/observability';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
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
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: true }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}
