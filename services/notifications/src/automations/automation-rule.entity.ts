import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AutomationAction, AutomationTrigger, Condition } from './automation-rules';

/** An automation: when the trigger happens and the conditions hold, do the action. */
@Entity('automation_rules')
export class AutomationRule {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') name!: string;
  @Column('text') trigger!: AutomationTrigger;
  @Column('jsonb') conditions!: Condition[];
  @Column('jsonb') action!: AutomationAction;
  @Column('boolean') enabled!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
