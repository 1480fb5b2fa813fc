import type { Resources } from './account-resources';
import type { Conversation, TestAccount } from './leadline-stack';

/**
 * The id of the account's own resource a path parameter or body field names: by its name (`leadId`), or for a
 * bare `:id` by the path segment before it (`/v1/leads/:id`). Undefined when the name says nothing we know.
 */
export function resourceId(account: TestAccount, data: Conversation, name: string, segment = '', more: Resources = {}): string | undefined {
  const key = `${name === 'id' ? segment : name}`.toLowerCase();
  if (more[key] !== undefined) return more[key];
  if (/apikey|api-key/.test(key)) return account.apiKeyId;
  if (/account/.test(key)) return account.id;
  if (/member|agent|assignee|owner|user/.test(key)) return account.agent;
  if (/conversation/.test(key)) return data.conversationId;
  if (/device/.test(key)) return data.deviceId;
  if (/contact/.test(key)) return data.contactId;
  if (/lead/.test(key)) return data.leadId;
  if (/notification/.test(key)) return data.notificationId;
  return undefined;
}

export function segmentBefore(path: string, param: string): string {
  const parts = path.split('/');
  const index = parts.indexOf(`:${param}`);
  return index > 0 ? parts[index - 1]! : '';
}
