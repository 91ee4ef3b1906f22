import * as tf from '@tensorflow/tfjs-core';
import {InitializerError} from '../../src';
import {selectBackend} from '../../src/node';

const missing = async (pkg: string): Promise<unknown> => {
  throw new Error(`Cannot find module '${pkg}'`);
};

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('falls back to WASM when requiring tfjs-node throws', async () => {
    const load = (pkg: string): Promise<unknown> =>
      pkg === '@tensorflow/tfjs-node' ? missing(pkg) : import(pkg);
    const choice = await selectBackend({load});
    expect(choice).toEqual({
      name: 'wasm',
      note: 'backend: wasm (@tensorflow/tfjs-node not installed)',
    });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('falls back to CPU when neither tfjs-node nor WASM loads', async () => {
    const choice = await selectBackend({load: missing});
    expect(choice.name).toBe('cpu');
    expect(choice.note).toBe(
      'backend: cpu (@tensorflow/tfjs-node not installed; @tensorflow/tfjs-backend-wasm not installed)',
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a forced backend is used, or fails clearly', async () => {
    await expect(selectBackend({force: 'cpu', load: missing})).resolves.toEqual({
      name: 'cpu',
      note: 'backend: cpu (forced)',
    });
    await expect(selectBackend({force: 'tensorflow', load: missing})).rejects.toThrow(
      /selectBackend: backend 'tensorflow' is not available: @tensorflow\/tfjs-node not installed/,
    );
    await expect(selectBackend({force: 'gpu' as never})).rejects.toThrow(InitializerError);
  });

  it('does not count a backend whose package loads but which fails to start', async () => {
    // Loading "succeeds" but no 'tensorflow' backend gets registered: setBackend returns false.
    const choice = await selectBackend({
      load: async (pkg) => (pkg === '@tensorflow/tfjs-node' ? {} : missing(pkg)),
    });
    expect(choice.name).toBe('cpu');
    expect(choice.note).toMatch(/tensorflow failed to start/);
  });
});
