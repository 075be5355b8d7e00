/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/generated', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  // Pact consumer and provider suites run in order under `npm run contract:check` (test/contract/pact/jest.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/contract/pact/'],
  // Two cores: more workers than that only adds contention with Redis and PostgreSQL.
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
