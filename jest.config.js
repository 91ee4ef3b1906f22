/**
 * `npm test` runs two jest projects, both skipping the slow tier (`*.slow.test.ts`):
 * - `cpu`: every test, on the CPU backend;
 * - `wasm`: the statistical and round-trip tests again, on the WASM backend (its `.wasm` files come
 *   from `@tensorflow/tfjs-backend-wasm`), so the cross-backend part costs only what it must.
 * A new initializer's test in `__tests__/initializers/` joins both without further work.
 *
 * `npm test` runs ESLint, Prettier and tsc side by side first (`run-p`), then jest.
 *
 * Other tiers, all run by `.ci/run`: `npm run test:slow` (jest.slow.config.js: large-sample
 * distribution tests and the build of the package), `npm run test:consumers` (the packed tarball in
 * fresh apps), `npm run test:browser` (jest.browser.config.js: webgl, wasm, cpu and webgpu in Chromium).
 */
const common = require('./jest.common');

/** Not part of `npm test`: the other tiers' tests. */
const OTHER_TIERS = [
  '/node_modules/',
  '\\.slow\\.test\\.ts$',
  '<rootDir>/__tests__/browser/',
  '<rootDir>/__tests__/consumers/',
];

/** Tests that run on every Node backend: initializer statistics, save/load round trips, cross-backend identity. */
const BACKEND_MATRIX = [
  '<rootDir>/__tests__/initializers/**/*.test.ts',
  '<rootDir>/__tests__/serialization.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // One worker per core (jest's default leaves one core to itself, which on 2 cores runs every file
  // in band): the tests are CPU-bound, and jest's own process mostly waits.
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'cpu',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: OTHER_TIERS,
    },
    {
      ...common,
      displayName: 'wasm',
      roots: ['<rootDir>/__tests__'],
      testMatch: BACKEND_MATRIX,
      testPathIgnorePatterns: OTHER_TIERS,
      setupFilesAfterEnv: ['<rootDir>/__tests__/setup/wasm-backend.ts'],
    },
  ],
};
