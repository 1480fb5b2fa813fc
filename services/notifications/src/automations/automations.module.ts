import { Module } from '@nestjs/common';
import { AutomationTriggers } from './automation-triggers';
import { AutomationsController } from './automations.controller';
import { AutomationsService } from './automations.service';

@Module({ controllers: [AutomationsController], providers: [AutomationsService, AutomationTriggers] })
export class AutomationsModule {}
