import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { BaseServiceConfig } from '../service-config';
import { AccessGuard } from './access.guard';
import { ACCESS_OPTIONS, type AccessOptions } from './access.options';
import { readPublicKey } from './access-token';
import { CredentialDirectory } from './credential-directory';
import { WebchatRateLimitGuard } from './rate-limit';

/** The global credential guard, the directory it checks API keys and members against, and rate limits. */
@Global()
@Module({})
export class AccessModule {
  static forRoot(config: BaseServiceConfig): DynamicModule {
    const options: AccessOptions = {
      sessionPublicKey: readPublicKey(config.SESSION_PUBLIC_KEY),
      rateLimits: {
        webchatWidgetPerMinute: config.RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE,
        webchatDevicePerMinute: config.RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE,
      },
    };
    return {
      module: AccessModule,
      providers: [
        { provide: ACCESS_OPTIONS, useValue: options },
        CredentialDirectory,
        WebchatRateLimitGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [ACCESS_OPTIONS, CredentialDirectory, WebchatRateLimitGuard],
    };
  }
}
