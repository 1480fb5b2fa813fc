import type { DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, type BaseServiceConfig } from './service-config';
import { createServiceApp, listen } from './service-app';

export interface ServiceDefinition<C extends BaseServiceConfig> {
  name: string;
  defaultPort: number;
  config: new () => C;
  module: (config: C) => DynamicModule;
  bodyLimitBytes?: number;
}

/** The whole of a service's main(): validated config, the app, listening; a bad config exits naming the variable. */
export async function runService<C extends BaseServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let config: C;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createServiceApp(definition.module(config), {
    serviceName: definition.name, logLevel: config.LOG_LEVEL,
    ...(definition.bodyLimitBytes ? { bodyLimitBytes: definition.bodyLimitBytes } : {}),
  });
  // MIGRATE_ONLY=true (the Kubernetes migration Job, deploy/): creating the app connected and migrated the
  // schema; close before any consumer, relay or listener starts (issue 9).
  if (process.env['MIGRATE_ONLY'] === 'true') {
    await app.close();
    process.stdout.write(`${definition.name}: migrations applied\n`);
    return;
  }
  const url = await listen(app, config.PORT ?? definition.defaultPort, config.HOST);
  process.stdout.write(`${definition.name} listening on ${url}\n`);
}
