import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AutomationRule } from './automation-rule.entity';
import { conditionProblem, type AutomationAction, type AutomationTrigger, type Condition } from './automation-rules';
import type { CreateAutomationDto, UpdateAutomationDto } from './automation.dto';

type Problem = { field: string; reason: string };

/** Automation rules of an account: create, read, change, delete. */
@Injectable()
export class AutomationsService {
  constructor(private readonly dataSource: DataSource) {}

  list(accountId: string): Promise<AutomationRule[]> {
    return this.dataSource.manager.find(AutomationRule, { where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async get(accountId: string, id: string): Promise<AutomationRule> {
    const rule = await this.dataSource.manager.findOneBy(AutomationRule, { accountId, id });
    if (!rule) throw new NotFoundException(`automation ${id} not found in this account`);
    return rule;
  }

  async create(accountId: string, dto: CreateAutomationDto): Promise<AutomationRule> {
    const now = new Date();
    const rule = Object.assign(new AutomationRule(), {
      id: uuidv7(), accountId, name: dto.name, trigger: dto.trigger, conditions: toConditions(dto.conditions),
      action: toAction(dto.action), enabled: dto.enabled ?? true, createdAt: now, updatedAt: now,
    });
    await this.check(rule);
    return this.dataSource.manager.save(rule);
  }

  async update(accountId: string, id: string, dto: UpdateAutomationDto): Promise<AutomationRule> {
    const rule = await this.get(accountId, id);
    if (dto.name !== undefined) rule.name = dto.name;
    if (dto.trigger !== undefined) rule.trigger = dto.trigger;
    if (dto.conditions !== undefined) rule.conditions = toConditions(dto.conditions);
    if (dto.action !== undefined) rule.action = toAction(dto.action);
    if (dto.enabled !== undefined) rule.enabled = dto.enabled;
    rule.updatedAt = new Date();
    await this.check(rule);
    return this.dataSource.manager.save(rule);
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.get(accountId, id);
    await this.dataSource.manager.delete(AutomationRule, { accountId, id });
  }

  /** The conditions fit the trigger and the action names members and endpoints of this account. */
  private async check(rule: AutomationRule): Promise<void> {
    const problems: Problem[] = [
      ...conditionProblems(rule.trigger, rule.conditions),
      ...await this.actionProblems(rule.accountId, rule.action),
    ];
    if (problems.length > 0) {
      throw new BadRequestException({
        statusCode: 400, error: 'Bad Request', message: problems.map((p) => `${p.field}: ${p.reason}`).join('; '), fields: problems,
      });
    }
  }

  private async actionProblems(accountId: string, action: AutomationAction): Promise<Problem[]> {
    if (action.type === 'notify') {
      if (!action.memberIds?.length) return [{ field: 'action.memberIds', reason: 'notify needs the members to tell' }];
      const known = await this.dataSource.query(`SELECT member_id FROM team_members WHERE account_id = $1 AND member_id = ANY($2::uuid[])`,
        [accountId, action.memberIds]) as { member_id: string }[];
      const unknown = action.memberIds.filter((id) => !known.some((k) => k.member_id === id));
      return unknown.length ? [{ field: 'action.memberIds', reason: `not members of this account: ${unknown.join(', ')}` }] : [];
    }
    if (!action.endpointId) return [{ field: 'action.endpointId', reason: 'webhook needs the endpoint to call (POST /v1/webhooks first)' }];
    const [endpoint] = await this.dataSource.query(`SELECT id FROM webhook_endpoints WHERE account_id = $1 AND id = $2`,
      [accountId, action.endpointId]) as unknown[];
    return endpoint ? [] : [{ field: 'action.endpointId', reason: `no webhook endpoint ${action.endpointId} in this account` }];
  }
}

function conditionProblems(trigger: AutomationTrigger, conditions: Condition[]): Problem[] {
  return conditions.flatMap((condition, i) => {
    const problem = conditionProblem(trigger, condition);
    return problem ? [{ field: `conditions.${i}.${problem.field}`, reason: problem.reason }] : [];
  });
}

function toConditions(dtos: CreateAutomationDto['conditions']): Condition[] {
  return (dtos ?? []).map(({ field, op, value }) => ({ field, op, value }));
}

function toAction(dto: CreateAutomationDto['action']): AutomationAction {
  return dto.type === 'notify' ? { type: 'notify', memberIds: dto.memberIds ?? [] } : { type: 'webhook', ...(dto.endpointId ? { endpointId: dto.endpointId } : {}) };
}
