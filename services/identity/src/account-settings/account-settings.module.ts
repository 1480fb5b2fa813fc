import { Global, Module } from '@nestjs/common';
import { AccountSettingsService } from './account-settings.service';

@Global()
@Module({ providers: [AccountSettingsService], exports: [AccountSettingsService] })
export class AccountSettingsModule {}
