import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { MessagingLifecycle } from '@leadline/messaging';
import { DataSource } from 'typeorm';

/**
 * Liveness says the process answers; readiness says it can do its work: the database answers,
 * NATS is connected and every consumer is attached. Written by hand: three checks do not need a framework.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource, private readonly messaging: MessagingLifecycle) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, boolean> }> {
    const database = await this.dataSource.query('SELECT 1').then(() => true, () => false);
    const messaging = this.messaging.isReady();
    const checks = { database, messaging };
    if (!database || !messaging) throw new ServiceUnavailableException({ status: 'unavailable', checks });
    return { status: 'ok', checks };
  }
}
