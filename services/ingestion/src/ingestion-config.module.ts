import { Global, Module, type DynamicModule } from '@nestjs/common';
import { IngestionConfig } from './ingestion.config';

/** The validated configuration, for every feature module. */
@Global()
@Module({})
export class IngestionConfigModule {
  static forRoot(config: IngestionConfig): DynamicModule {
    return { module: IngestionConfigModule, providers: [{ provide: IngestionConfig, useValue: config }], exports: [IngestionConfig] };
  }
}
