import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { MessagingLifecycle } from '@leadline/messaging';
import { DataSource } from 'typeorm';
import { CredentialDirectory } from './access/credential-directory';
import { PublicEndpoint } from './actor.decorator';

/**
 * Liveness says the process answers; readiness says it can do its work: the database answers,
 * NATS is connected, every consumer is attached and
 * the credential directory has caught up. Written by hand: three checks do not need a framework.
 */
@Controller('health')
@PublicEndpoint()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource, private readonly messaging: MessagingLifecycle,
    private readonly credentials: CredentialDirectory,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, boolean> }> {
    const database = await this.dataSource.query('SELECT 1').then(() => true, () => false);
    const messaging = this.messaging.isReady();
    // Credentials: the API key and member directory has read every account event there was at start-up.
    const credentials = this.credentials.isReady();
    const checks = { database, messaging, credentials };
    if (!database || !messaging || !credentials) throw new ServiceUnavailableException({ status: 'unavailable', checks });
    return { status: 'ok', checks };
  }
}
