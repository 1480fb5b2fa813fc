export * from './service-data-source';
export * from './persistence.module';
export * from './tenant';
export * from './transaction-memo';
export * from './prepared-query';
export * from './transaction';
export * from './query-entities';
