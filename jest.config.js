/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json', diagnostics: false}],
  },
  // tfjs prints a banner and platform notes on first use; they are noise in test output.
  setupFiles: ['<rootDir>/__tests__/setup/quiet-tfjs.ts'],
  testTimeout: 60000,
};
