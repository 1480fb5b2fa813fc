// Jest runs TypeScript through swc (fast, keeps decorator metadata for Nest and TypeORM);
// type checking is `npm run lint`, so tests are not slowed by it.
const swc = ['@swc/jest', {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@leadline/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    // Pure logic: no NATS, no PostgreSQL.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{services,libs,tools,deploy}/**/*.spec.ts'] },
    // Against real NATS and PostgreSQL (NATS_URL / DATABASE_URL, else testcontainers).
    { ...common, displayName: 'service', testMatch: ['<rootDir>/{services,libs,tools,deploy}/**/*.service-test.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeout.ts'] },
    // The whole pipeline through HTTP and events.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-test.ts'], slowTestThreshold: 60, setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeout.ts'] },
  ],
};
