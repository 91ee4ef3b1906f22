/**
 * `npm run test:consumers`: the packed tarball installed into fresh apps with plain `npm install`
 * (__tests__/consumers/): the oldest and newest supported tfjs, an app already on an older tfjs,
 * the WASM backend, ESM, CommonJS and both in one process, TypeScript under every module
 * resolution, an esbuild browser bundle, a second copy of tfjs, a lean app on tfjs-core +
 * tfjs-layers (with tfjs-backend-cpu, and with no backend), and every README.md code block.
 * Global setup packs the tarball once; each test file makes its own app, so two run side by side.
 * Needs the npm registry (or a warm npm cache) and nothing else. `.ci/run` runs it after
 * `npm run test:slow`.
 */
const common = require('./jest.common');

/** @type {import('jest').Config} */
module.exports = {
  ...common,
  displayName: 'consumers',
  roots: ['<rootDir>/__tests__/consumers'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/__tests__/consumers/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/consumers/global-teardown.ts',
  testTimeout: 300000,
  maxWorkers: 2,
};
