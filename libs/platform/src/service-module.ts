import type { StreamName } from '@leadline/contracts';
import { MessagingModule, MessagingTables1763700000000 } from '@leadline/messaging';
import { PersistenceModule } from '@leadline/persistence';
import type { DynamicModule, ModuleMetadata } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { MetricsController, MetricsModule } from '@leadline/observability';
import { PublicEndpoint } from './actor.decorator';
import { HealthController } from './health.controller';
import type { BaseServiceConfig } from './service-config';

// Prometheus scrapes /metrics without a Leadline credential; metrics hold no personal data (issue 9).
PublicEndpoint()(MetricsController);

export interface ServiceModuleDefinition {
  name: string;
  config: BaseServiceConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  publishes: StreamName[];
  features: NonNullable<ModuleMetadata['imports']>;
  providers?: NonNullable<ModuleMetadata['providers']>;
}

/**
 * The root module of a service: its schema, JetStream, the credential guard every route passes (see
 * libs/platform/README.md), health endpoints and its feature modules.
 */
export function serviceModule(definition: ServiceModuleDefinition): DynamicModule {
  const { config } = definition;
  class ServiceRootModule {}
  Object.defineProperty(ServiceRootModule, 'name', { value: `${definition.name}RootModule` });
  return {
    module: ServiceRootModule,
    imports: [
      PersistenceModule.forRoot({
        url: config.DATABASE_URL,
        schema: config.DB_SCHEMA ?? definition.name,
        entities: definition.entities,
        migrations: [MessagingTables1763700000000, ...definition.migrations],
        poolSize: config.DB_POOL_SIZE,
      }),
      MessagingModule.forRoot({
        serviceName: definition.name,
        natsUrl: config.NATS_URL,
        ...(config.NATS_USER ? { natsUser: config.NATS_USER, natsPassword: config.NATS_PASSWORD ?? '' } : {}),
        subjectPrefix: config.NATS_SUBJECT_PREFIX,
        publishes: definition.publishes,
        streamReplicas: config.NATS_STREAM_REPLICAS,
        consumer: {
          maxDeliver: config.CONSUMER_MAX_DELIVER,
          batchSize: config.CONSUMER_BATCH_SIZE,
          concurrency: config.CONSUMER_CONCURRENCY,
          retryBaseDelayMs: config.CONSUMER_RETRY_BASE_MS,
        },
        outbox: { pollIntervalMs: config.OUTBOX_POLL_MS },
      }),
      AccessModule.forRoot(config),
      MetricsModule,
      ...definition.features,
    ],
    controllers: [HealthController],
    providers: definition.providers ?? [],
  };
}
