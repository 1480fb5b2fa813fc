import * as accounts from './accounts.events';
import * as broadcasts from './broadcasts.events';
import * as conversations from './conversations.events';
import type { EventDefinition } from './event-definition';
import * as extraction from './extraction.events';
import * as identity from './identity.events';
import * as leads from './leads.events';
import * as notifications from './notifications.events';

function definitionsIn(module: Record<string, unknown>): EventDefinition[] {
  return Object.values(module).filter(
    (value): value is EventDefinition =>
      typeof value === 'object' && value !== null && 'subject' in value && 'payload' in value,
  );
}

/** Every event Leadline publishes or consumes: the public contract. */
export const EVENT_CATALOGUE: readonly EventDefinition[] = [
  accounts, conversations, extraction, identity, leads, notifications, broadcasts,
].flatMap((module) => definitionsIn(module as Record<string, unknown>));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return EVENT_CATALOGUE.find((definition) => definition.type === type);
}
