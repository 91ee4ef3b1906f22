/**
 * `npm run test:browser`: the backend matrix in headless Chromium (Debian's `chromium`, driven by
 * playwright-core; no browser download). Global setup builds the package, compiles the harness
 * page and starts a static server on 127.0.0.1; each test file launches its own Chromium.
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'chromium',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json', diagnostics: false}],
  },
  setupFiles: ['<rootDir>/__tests__/setup/quiet-tfjs.ts'],
  globalSetup: '<rootDir>/__tests__/browser/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/browser/global-teardown.ts',
  // SwiftShader compiles WebGL shaders slowly: generous limits, one browser at a time.
  testTimeout: 300000,
  maxWorkers: 1,
  verbose: true,
};
