import { Module } from '@nestjs/common';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';

/** `/metrics` and the HTTP metrics of a service; the messaging metrics come with the messaging module. */
@Module({
  controllers: [MetricsController],
  providers: [HttpMetricsHook],
})
export class MetricsModule {}
