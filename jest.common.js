/** What every jest tier shares: TypeScript through ts-jest, in Node, with tfjs's banner silenced. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json', diagnostics: false}],
  },
  // tfjs prints a banner and platform notes on first use; they are noise in test output.
  setupFiles: ['<rootDir>/__tests__/setup/quiet-tfjs.ts'],
};
