import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { renderPrometheusMetrics } from './prometheus';

/** Prometheus scrapes every service here, on its HTTP port (text exposition format 0.0.4). */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const text = await renderPrometheusMetrics();
    if (text === undefined) {
      throw new ServiceUnavailableException('metrics are off: the service did not call startTelemetry() before starting Nest');
    }
    return text;
  }
}
