/**
 * Setup of the `wasm` jest project: every test in the file runs on the WASM backend, and the file
 * fails if the backend did not start or if a test switched away from it.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

beforeAll(async () => {
  const started = await tf.setBackend('wasm');
  await tf.ready();
  if (!started || tf.getBackend() !== 'wasm') {
    throw new Error(
      `the wasm backend did not start (setBackend returned ${started}, active backend: ${tf.getBackend()})`,
    );
  }
});

afterAll(() => {
  if (tf.getBackend() !== 'wasm') {
    throw new Error(
      `a test switched the backend to ${tf.getBackend()}; the wasm project must run on wasm`,
    );
  }
});
