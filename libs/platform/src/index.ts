export * from './service-config';
export * from './service-app';
export * from './service-module';
export * from './run-service';
export * from './health.controller';
export * from './validation';
export * from './account-id.decorator';
