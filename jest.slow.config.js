/**
 * `npm run test:slow`: the tests too slow for `npm test` — large-sample distribution tests of the
 * samplers — on the CPU backend. `.ci/run` runs it after `npm test`. The built package is tested
 * from outside by `npm run test:consumers` (jest.consumers.config.js).
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
