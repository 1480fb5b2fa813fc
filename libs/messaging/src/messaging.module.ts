import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging.options';
import { JETSTREAM_CLIENT, JETSTREAM_MANAGER, NATS_CONNECTION } from './nats.providers';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { UnitOfWork } from './unit-of-work';

@Module({})
export class MessagingModule {
  /** Needs a TypeORM DataSource in the application (the outbox and inbox live in the service's schema). */
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NATS_CONNECTION,
          useFactory: (): Promise<NatsConnection> =>
            connect({
              servers: options.natsUrl, name: options.serviceName, maxReconnectAttempts: -1,
              // Otherwise every request, and so every JetStream publish, builds two Error objects only for their stack
              // traces, should it time out: a tenth of the outbox relay's CPU (bench/ingestion).
              noAsyncTraces: true,
              ...(options.natsUser ? { user: options.natsUser, pass: options.natsPassword ?? '' } : {}),
            }),
        },
        { provide: JETSTREAM_CLIENT, useFactory: (nc: NatsConnection) => jetstream(nc), inject: [NATS_CONNECTION] },
        { provide: JETSTREAM_MANAGER, useFactory: (nc: NatsConnection) => jetstreamManager(nc), inject: [NATS_CONNECTION] },
        MessagingMetrics,
        Outbox,
        OutboxRelay,
        UnitOfWork,
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, NATS_CONNECTION, JETSTREAM_CLIENT, JETSTREAM_MANAGER, Outbox, UnitOfWork, MessagingLifecycle, OutboxRelay],
    };
  }
}
