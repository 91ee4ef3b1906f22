/**
 * `npm test` runs two jest projects:
 * - `cpu`: every test, on the CPU backend;
 * - `wasm`: the statistical and round-trip tests again, on the WASM backend (its `.wasm` files come
 *   from `@tensorflow/tfjs-backend-wasm`), so the cross-backend part costs only what it must.
 * A new initializer's test in `__tests__/initializers/` joins both without further work.
 * The browser matrix (webgl, wasm, cpu, webgpu in Chromium) is `npm run test:browser`
 * (jest.browser.config.js); it needs a Chromium and is not part of `npm test`.
 */
const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json', diagnostics: false}],
  },
  // tfjs prints a banner and platform notes on first use; they are noise in test output.
  setupFiles: ['<rootDir>/__tests__/setup/quiet-tfjs.ts'],
};

/** Tests that run on every Node backend: initializer statistics, save/load round trips, cross-backend identity. */
const BACKEND_MATRIX = [
  '<rootDir>/__tests__/initializers/**/*.test.ts',
  '<rootDir>/__tests__/serialization.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'cpu',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/browser/'],
    },
    {
      ...common,
      displayName: 'wasm',
      roots: ['<rootDir>/__tests__'],
      testMatch: BACKEND_MATRIX,
      setupFilesAfterEnv: ['<rootDir>/__tests__/setup/wasm-backend.ts'],
    },
  ],
};
