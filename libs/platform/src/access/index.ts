export * from './access-token';
export * from './api-key';
export * from './access.options';
export * from './access.guard';
export * from './access.module';
export * from './credential-directory';
export * from './rate-limit';
