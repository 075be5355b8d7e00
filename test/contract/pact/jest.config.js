// Pact runs separately from the main jest run (`npm run contract:check`): consumer tests write
// the pacts under contracts/ that the provider tests then read, so the two must not interleave.
const base = require('../../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../../..',
  roots: ['<rootDir>/test/contract/pact'],
  testPathIgnorePatterns: ['/node_modules/'],
  // One file at a time: the message providers run a whole platform whose live notifications for
  // tenant acme (shared Redis, PSUBSCRIBE workbench:*) the gateway provider's platform would store
  // too, between its state's insert and the verifier's list of notifications.
  maxWorkers: 1,
  setupFiles: ['<rootDir>/test/contract/pact/no-tracking.js'],
  setupFilesAfterEnv: ['<rootDir>/test/contract/pact/retry-mock-race.js'],
};
