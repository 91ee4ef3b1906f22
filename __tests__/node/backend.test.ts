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
    expect(choice.note).toBe(
      "backend: cpu (@tensorflow/tfjs-node was loaded but registered no 'tensorflow' backend " +
        `with the @tensorflow/tfjs-core ${tf.version_core} in use (it uses another copy; see ` +
        '`npm ls @tensorflow/tfjs-core`); @tensorflow/tfjs-backend-wasm not installed)',
    );
  });

  describe('an app on tfjs-core + tfjs-layers, without @tensorflow/tfjs', () => {
    // What such an app has: no cpu backend until @tensorflow/tfjs-backend-cpu is imported. The
    // cpu backend this process registered is taken away for the test and put back afterwards.
    let cpuFactory: ReturnType<typeof tf.findBackendFactory>;
    beforeEach(() => {
      cpuFactory = tf.findBackendFactory('cpu');
      tf.removeBackend('cpu');
    });
    afterEach(() => {
      if (tf.findBackendFactory('cpu') == null) tf.registerBackend('cpu', cpuFactory);
    });

    it('imports @tensorflow/tfjs-backend-cpu when it is installed and starts cpu', async () => {
      const loaded: string[] = [];
      const choice = await selectBackend({
        load: async (pkg) => {
          loaded.push(pkg);
          if (pkg !== '@tensorflow/tfjs-backend-cpu') return missing(pkg);
          tf.registerBackend('cpu', cpuFactory); // what importing the package does
          return {};
        },
      });
      expect(loaded).toEqual([
        '@tensorflow/tfjs-node',
        '@tensorflow/tfjs-backend-wasm',
        '@tensorflow/tfjs-backend-cpu',
      ]);
      expect(choice).toEqual({
        name: 'cpu',
        note:
          'backend: cpu (@tensorflow/tfjs-node not installed; ' +
          '@tensorflow/tfjs-backend-wasm not installed)',
      });
      expect(tf.getBackend()).toBe('cpu');
    });

    it('without any backend package, names the packages to install at the tfjs version in use', async () => {
      const v = tf.version_core;
      await expect(selectBackend({load: missing})).rejects.toThrow(
        new InitializerError(
          'selectBackend',
          'backend',
          'no tfjs backend could be started (@tensorflow/tfjs-node not installed; ' +
            '@tensorflow/tfjs-backend-wasm not installed; @tensorflow/tfjs-backend-cpu not ' +
            `installed); install one at your tfjs version (${v}): ` +
            `\`npm install @tensorflow/tfjs-backend-cpu@${v}\` (plain JavaScript) or ` +
            `\`npm install @tensorflow/tfjs-backend-wasm@${v}\` (faster), or use ` +
            '@tensorflow/tfjs, which includes cpu',
        ),
      );
      await expect(selectBackend({force: 'cpu', load: missing})).rejects.toThrow(
        "selectBackend: backend 'cpu' is not available: @tensorflow/tfjs-backend-cpu not " +
          `installed; install it with \`npm install @tensorflow/tfjs-backend-cpu@${v}\``,
      );
    });
  });
});
