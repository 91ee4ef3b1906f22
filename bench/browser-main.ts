/** The backend benchmark's page: times model builds on the backends Chromium offers. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import type * as Lib from '../src';
import {timeBuilds, type Timing} from './model-build';
import {ourVariants} from './variants';

const LIBRARY: string = 'tfjs-initializers';
setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
tf.enableProdMode();

declare global {
  interface Window {
    bench?: {
      run(
        backend: string,
        runs: number,
      ): Promise<{backend: string; timings: Timing[]} | {backend: string; skipped: string}>;
    };
  }
}

window.bench = {
  async run(backend, runs) {
    const started = await tf.setBackend(backend).catch(() => false);
    await tf.ready();
    if (!started || tf.getBackend() !== backend)
      return {backend, skipped: `setBackend returned ${started}, active ${tf.getBackend()}`};
    const lib = (await import(LIBRARY)) as typeof Lib;
    const timings = await timeBuilds(tf, ourVariants(lib, tf.initializers), runs, () =>
      performance.now(),
    );
    return {backend, timings};
  },
};
