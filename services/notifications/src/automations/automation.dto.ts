import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested,
} from 'class-validator';
import {
  ACTION_TYPES, AUTOMATION_TRIGGERS, CONDITION_OPERATORS, type AutomationActionType, type AutomationTrigger,
  type ConditionOperator,
} from './automation-rules';

export class ConditionDto {
  @IsString() @Length(1, 50)
  field!: string;

  @IsIn(CONDITION_OPERATORS, { message: `op must be one of ${CONDITION_OPERATORS.join(', ')}` })
  op!: ConditionOperator;

  /** A text, number or boolean; a list for `in`. Checked against the trigger's fields by the service. */
  @IsDefined()
  value!: string | number | boolean | (string | number)[];
}

export class ActionDto {
  @IsIn(ACTION_TYPES, { message: `type must be one of ${ACTION_TYPES.join(', ')}` })
  type!: AutomationActionType;

  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsUUID('all', { each: true })
  memberIds?: string[];

  @IsOptional() @IsUUID()
  endpointId?: string;
}

export class CreateAutomationDto {
  @IsString() @Length(1, 120)
  name!: string;

  @IsIn(AUTOMATION_TRIGGERS, { message: `trigger must be one of ${AUTOMATION_TRIGGERS.join(', ')}` })
  trigger!: AutomationTrigger;

  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ConditionDto)
  conditions?: ConditionDto[];

  @ValidateNested() @Type(() => ActionDto) @IsDefined()
  action!: ActionDto;

  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

export class UpdateAutomationDto {
  @IsOptional() @IsString() @Length(1, 120)
  name?: string;

  @IsOptional() @IsIn(AUTOMATION_TRIGGERS, { message: `trigger must be one of ${AUTOMATION_TRIGGERS.join(', ')}` })
  trigger?: AutomationTrigger;

  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ConditionDto)
  conditions?: ConditionDto[];

  @IsOptional() @ValidateNested() @Type(() => ActionDto)
  action?: ActionDto;

  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
