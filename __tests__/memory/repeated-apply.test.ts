/**
 * Memory: repeated `apply` calls leave `tf.memory()` unchanged apart from their results, for every
 * registered initializer and every fixed built-in; the in-place functions and the model tools
 * leave it unchanged. (The 100 × 1e7-element run with resident memory is `npm run stress:memory`,
 * docs/memory.md.)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from '../../src';
import {restoreBuiltins, useFixedBuiltins} from '../../src';
import {analyzeInitialization, lsuv, reinitialize} from '../../src/tools';
import {initializerCases, registeredClass} from '../helpers/initializer-cases';

const CALLS = 20;

interface Counts {
  numTensors: number;
  numBytes: number;
  numDataBuffers: number;
}
const counts = (): Counts => {
  const {numTensors, numBytes, numDataBuffers} = tf.memory();
  return {numTensors, numBytes, numDataBuffers};
};

/** Applies `CALLS` times, holding the results: memory grows by exactly the results; then back to where it was. */
function repeated(
  make: () => {apply: (shape: number[], dtype?: tf.DataType) => tf.Tensor},
  shape: number[],
  dtype: tf.DataType = 'float32',
): void {
  const before = counts();
  const results: tf.Tensor[] = [];
  for (let i = 0; i < CALLS; i++) results.push(make().apply(shape, dtype));
  // As tfjs counts them: 4 bytes per float32 or int32, 1 per bool, none for complex64 (whose parts it does not count).
  const bytes = results.reduce(
    (n, t) => n + t.size * (t.dtype === 'complex64' ? 0 : t.dtype === 'bool' ? 1 : 4),
    0,
  );
  expect(counts()).toEqual({
    numTensors: before.numTensors + CALLS,
    numBytes: before.numBytes + bytes,
    numDataBuffers: before.numDataBuffers + CALLS,
  });
  tf.dispose(results);
  expect(counts()).toEqual(before);
}

describe('repeated apply leaves tf.memory() unchanged apart from the results', () => {
  it.each(initializerCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const Cls = registeredClass(c.name);
    repeated(() => new Cls(c.config), c.valueShape);
    repeated(() => new Cls({}), c.layerShape); // unseeded: draws from the setSeed stream
  });

  it.each(['float32', 'int32', 'bool', 'complex64'] as const)(
    'ZeroBias in %s (complex64: tfjs leaks the parts of complex zeros unless they are built in a tidy)',
    (dtype) => {
      repeated(() => new api.ZeroBias(), [64, 8], dtype);
    },
  );

  describe('fixed tfjs built-ins', () => {
    let names: string[] = [];
    beforeAll(() => {
      names = useFixedBuiltins();
    });
    afterAll(() => {
      restoreBuiltins();
    });
    it('every one of them', () => {
      expect(names.length).toBe(12);
      for (const name of names) {
        const matrix = name === 'Identity' || name === 'Orthogonal';
        repeated(
          () => new (registeredClass(name))(name === 'Identity' ? {} : {seed: 1}),
          matrix ? [64, 48] : [3, 3, 16, 16],
        );
      }
    });
  });
});

describe('in-place functions and model tools leave tf.memory() unchanged', () => {
  it('every in-place function, called repeatedly on the same weights', () => {
    // Variables that own their buffers (tf.variable(t) shares t's buffer until the first assign).
    const [dense, conv] = [
      [32, 48],
      [3, 3, 8, 16],
    ].map((shape) => {
      const init = tf.zeros(shape);
      const v = tf.variable(init);
      init.dispose();
      return v;
    });
    const before = counts();
    for (let i = 0; i < CALLS; i++) {
      api.uniform_(dense, -1, 1);
      api.normal_(dense, 0, 0.1);
      api.truncNormal_(dense, 0, 1, -1, 1);
      api.constant_(dense, 0.5);
      api.ones_(dense);
      api.zeros_(dense);
      api.eye_(dense);
      api.dirac_(conv);
      api.xavierUniform_(dense);
      api.xavierNormal_(dense);
      api.kaimingUniform_(dense);
      api.kaimingNormal_(conv, 0, 'fanOut', 'relu');
      api.orthogonal_(dense);
      api.sparse_(dense, 0.5);
      api.deltaOrthogonal_(conv);
      api.zerO_(dense);
    }
    expect(counts()).toEqual(before);
    tf.dispose([dense, conv]);
  });

  it('reinitialize, lsuv and analyzeInitialization, each three times', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 16,
          inputShape: [8],
          activation: 'relu',
          kernelInitializer: 'KaimingNormal',
        }),
        tfl.layers.dense({units: 4, kernelInitializer: 'XavierUniformCustom'}),
      ],
    });
    const batch = tf.randomNormal([32, 8], 0, 1, 'float32', 3);
    const before = counts();
    for (let i = 0; i < 3; i++) {
      reinitialize(model, {seed: i});
      await lsuv(model, batch, {seed: i});
      analyzeInitialization(model, batch, {seed: i});
    }
    expect(counts()).toEqual(before);
    tf.dispose([model, batch] as never);
  });
});
