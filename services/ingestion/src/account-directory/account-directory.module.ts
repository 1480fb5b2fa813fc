import { Global, Module } from '@nestjs/common';
import { AccountDirectory } from './account-directory.service';

@Global()
@Module({ providers: [AccountDirectory], exports: [AccountDirectory] })
export class AccountDirectoryModule {}
