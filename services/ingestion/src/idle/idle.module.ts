import { Module, type DynamicModule } from '@nestjs/common';
import { IngestionConfig } from '../ingestion.config';
import { IdleScheduler } from './idle-scheduler';

@Module({})
export class IdleModule {
  static forRoot(config: IngestionConfig): DynamicModule {
    return {
      module: IdleModule,
      providers: [{ provide: IngestionConfig, useValue: config }, IdleScheduler],
      exports: [IdleScheduler],
    };
  }
}
