/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/generated', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  // Two cores: more workers than that only adds contention with Redis and PostgreSQL.
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
