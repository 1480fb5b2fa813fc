import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [MembersModule],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}
