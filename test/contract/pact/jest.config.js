// Pact runs separately from the main jest run (`npm run contract:check`): consumer tests write
// the pacts under contracts/ that the provider tests then read, so the two must not interleave.
const base = require('../../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../../..',
  roots: ['<rootDir>/test/contract/pact'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: ['<rootDir>/test/contract/pact/no-tracking.js'],
  setupFilesAfterEnv: ['<rootDir>/test/contract/pact/retry-mock-race.js'],
};
