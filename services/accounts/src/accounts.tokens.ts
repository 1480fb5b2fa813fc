import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AccountsConfig } from './accounts.config';

/** The service's validated configuration, for providers that need more than the platform's part. */
export const ACCOUNTS_CONFIG = Symbol('ACCOUNTS_CONFIG');

@Global()
@Module({})
export class AccountsConfigModule {
  static forRoot(config: AccountsConfig): DynamicModule {
    return { module: AccountsConfigModule, providers: [{ provide: ACCOUNTS_CONFIG, useValue: config }], exports: [ACCOUNTS_CONFIG] };
  }
}
