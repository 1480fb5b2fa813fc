import type { Channel } from '@leadline/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LocalAccounts, type EnabledRule } from '../accounts/local-accounts';
import { DeliveryScheduler } from '../deliveries/delivery-scheduler';
import { TeamDirectory } from '../members/team-directory';
import { titleOf } from '../notifications/notification-titles';
import { NotificationWriter } from '../notifications/notification-writer';
import type { Occurrence } from '../notifications/occurrence';
import { conditionsHold, type AutomationTrigger, type Facts } from './automation-rules';

/** What happened, as an automation sees it: the facts its conditions test, and what a notification shows. */
export interface TriggerContext {
  trigger: AutomationTrigger;
  accountId: string;
  eventId: string;
  facts: Facts;
  name: string;
  contact: Record<string, unknown>;
  summary: string | null;
  conversationUrl: string | null;
  channel: Channel | null;
  conversationId: string | null;
  contactId: string | null;
  details: string[];
}

/**
 * Runs the account's enabled rules for a trigger inside the consuming transaction (so each acts once per event).
 * A member or endpoint already told about the event (by the default notification or an earlier rule) is not told
 * again: the writer and the scheduler keep one notification per member and one call per endpoint for each event.
 */
@Injectable()
export class AutomationRunner {
  constructor(
    private readonly accounts: LocalAccounts,
    private readonly writer: NotificationWriter,
    private readonly team: TeamDirectory,
    private readonly deliveries: DeliveryScheduler,
  ) {}

  async run(tx: EntityManager, context: TriggerContext): Promise<number> {
    // Read with the account's setup, once per batch transaction and account.
    const { rules } = await this.accounts.setup(tx, context.accountId);
    let fired = 0;
    for (const rule of rules) {
      if (rule.trigger !== context.trigger || !conditionsHold(rule.conditions, context.facts)) continue;
      fired += 1;
      const occurrence = occurrenceOf(rule, context);
      if (rule.action.type === 'notify') {
        const members = await this.team.chosenMembers(tx, context.accountId, rule.action.memberIds ?? []);
        await this.writer.notify(tx, occurrence, members);
      } else if (rule.action.endpointId) {
        await this.deliveries.toEndpoints(tx, occurrence, [rule.action.endpointId]);
      }
    }
    return fired;
  }
}

function occurrenceOf(rule: EnabledRule, context: TriggerContext): Occurrence {
  return {
    accountId: context.accountId, kind: 'automation', topic: `rule:${rule.id}`,
    // One notification per rule and event: two rules may tell the same member about the same event.
    sourceEventId: `${context.eventId}/rule/${rule.id}`, causeEventId: context.eventId,
    title: titleOf(rule.name, context.name), conversationId: context.conversationId, contactId: context.contactId,
    body: {
      label: rule.name, name: context.name, contact: context.contact, summary: context.summary,
      conversationUrl: context.conversationUrl, channel: context.channel, details: context.details,
      ruleId: rule.id, trigger: context.trigger, facts: context.facts,
    },
  };
}
