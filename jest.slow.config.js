/**
 * `npm run test:slow`: the tests too slow for `npm test` — large-sample distribution tests of the
 * samplers and the build of the package — on the CPU backend. `.ci/run` runs it after `npm test`.
 */
const common = require('./jest.common');

/** @type {import('jest').Config} */
module.exports = {
  ...common,
  testTimeout: 300000,
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
