export * from './prometheus';
export * from './http-metrics';
export * from './http-metrics.hook';
export * from './pipeline-metrics';
export * from './metrics.controller';
export * from './metrics.module';
export * from './prometheus-text';
export * from './message-time';
