import { loadConfig, createServiceApp, type BaseServiceConfig, type ServiceDefinition } from '@leadline/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestRun } from './test-run';

/** Boots a service in this process with the run's schema and prefix, listening on a free loopback port. */
export async function startService<C extends BaseServiceConfig>(
  run: TestRun, definition: ServiceDefinition<C>, extraEnv: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string; config: C }> {
  const config = loadConfig(definition.config, run.env(definition.name, extraEnv));
  const app = await createServiceApp(definition.module(config), {
    serviceName: definition.name, logLevel: config.LOG_LEVEL,
    ...(definition.bodyLimitBytes ? { bodyLimitBytes: definition.bodyLimitBytes } : {}),
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), config };
}
