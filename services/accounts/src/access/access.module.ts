import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysModule } from './api-keys.module';
import { SessionsController } from './sessions.controller';

@Module({
  imports: [AccountsModule, ApiKeysModule],
  controllers: [ApiKeysController, SessionsController],
})
export class AccountAccessModule {}
