import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AnalysisModule } from './analysis/analysis.module';
import { ExtractionConfig } from './extraction.config';

export const extractionService: ServiceDefinition<ExtractionConfig> = {
  name: 'extraction',
  defaultPort: 3003,
  config: ExtractionConfig,
  module: (config) => serviceModule({
    name: 'extraction',
    config,
    // Nothing durable of its own: only the inbox (processed events) and the outbox.
    entities: [],
    migrations: [],
    publishes: ['EXTRACTION'],
    features: [AnalysisModule.forRoot(config)],
  }),
};
