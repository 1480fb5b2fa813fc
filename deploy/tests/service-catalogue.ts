import type { BaseServiceConfig, ServiceDefinition } from '@leadline/platform';
import { getMetadataStorage } from 'class-validator';
import { accountsService } from '../../services/accounts/src/accounts.service-definition';
import { extractionService } from '../../services/extraction/src/extraction.service-definition';
import { identityService } from '../../services/identity/src/identity.service-definition';
import { ingestionService } from '../../services/ingestion/src/ingestion.service-definition';
import { leadsService } from '../../services/leads/src/leads.service-definition';
import { notificationsService } from '../../services/notifications/src/notifications.service-definition';

/** The six services as the code defines them: what the deployment files must agree with. */
export const SERVICES = [accountsService, ingestionService, extractionService, identityService, leadsService, notificationsService] as unknown as ServiceDefinition<BaseServiceConfig>[];

/** Variables the runtime reads outside the validated config classes. */
export const RUNTIME_VARIABLES = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT', 'NODE_OPTIONS', 'NODE_ENV', 'MIGRATE_ONLY']);

/** Every environment variable a service's config class validates, and which of them it cannot start without. */
export function configVariables(definition: ServiceDefinition<BaseServiceConfig>): { all: Set<string>; required: Set<string> } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(definition.config, '', true, false);
  const all = new Set(metadata.map((m) => m.propertyName));
  const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  const defaults = new definition.config() as unknown as Record<string, unknown>;
  const required = new Set([...all].filter((name) => !optional.has(name) && defaults[name] === undefined));
  return { all, required };
}
