import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { initializeServiceDataSource, serviceDataSourceOptions, type ServiceDatabaseOptions } from './service-data-source';

@Module({})
export class PersistenceModule {
  /** The service's DataSource, bound to its own schema, migrated at start-up. */
  static forRoot(options: ServiceDatabaseOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions(options),
          dataSourceFactory: async (dataSourceOptions) => initializeServiceDataSource(dataSourceOptions!),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
