export * from './infrastructure';
export * from './test-run';
export * from './event-probe';
export * from './service-under-test';
export * from './credentials';
export * from './private-nats-server';
