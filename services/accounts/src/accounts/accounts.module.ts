import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../access/api-keys.module';
import { OperatorGuard } from '../access/operator.guard';
import { MembersModule } from '../members/members.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [MembersModule, ApiKeysModule],
  controllers: [AccountsController],
  providers: [AccountsService, OperatorGuard],
  exports: [AccountsService],
})
export class AccountsModule {}
