import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  KaimingUniform,
  OrthogonalInitializer,
  XavierUniformCustom,
  deriveSeed,
  setSeed,
} from '../../src';
import {reinitialize} from '../../src/tools';
import {moments} from '../helpers/stats';

/**
 * A model with most weight kinds: dense, conv, depthwise/pointwise, batch norm, embedding-free RNN
 * cells, a nested model.
 */
function zoo(): tfl.LayersModel {
  const nested = tfl.sequential({
    name: 'nested',
    layers: [
      tfl.layers.dense({
        units: 12,
        inputShape: [24],
        activation: 'relu',
        kernelInitializer: new KaimingUniform(),
      }),
      tfl.layers.dense({units: 24, kernelInitializer: new XavierUniformCustom({seed: 3})}),
    ],
  });
  const image = tfl.input({shape: [6, 6, 2]});
  let x = tfl.layers
    .conv2d({filters: 4, kernelSize: 3, padding: 'same'})
    .apply(image) as tfl.SymbolicTensor;
  x = tfl.layers
    .separableConv2d({filters: 4, kernelSize: 3, depthMultiplier: 2})
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.depthwiseConv2d({kernelSize: 2}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.reshape({targetShape: [3, 12]}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .bidirectional({
      layer: tfl.layers.lstm({
        units: 3,
        unitForgetBias: true,
        recurrentInitializer: new OrthogonalInitializer(),
      }) as tfl.RNN,
      returnSequences: false,
    } as never)
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({units: 24}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .gru({units: 4, recurrentInitializer: new OrthogonalInitializer()})
    .apply(
      tfl.layers
        .reshape({targetShape: [2, 12]})
        .apply(nested.apply(x) as tfl.SymbolicTensor) as tfl.SymbolicTensor,
    ) as tfl.SymbolicTensor;
  return tfl.model({inputs: image, outputs: x});
}

const values = (model: tfl.LayersModel): Float32Array[] =>
  model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());

/** Overwrites every weight with a constant that no initializer produces. */
function scramble(model: tfl.LayersModel): void {
  for (const w of model.weights)
    tf.tidy(() => (w.read() as tf.Variable).assign(tf.fill(w.shape as number[], 0.123)));
}

describe('reinitialize', () => {
  let model: tfl.LayersModel;
  beforeAll(() => {
    model = zoo();
  });
  afterAll(() => model.dispose());

  it('rewrites every weight of every layer, nested and wrapped ones included, keeping shapes and without leaks', () => {
    const shapes = model.weights.map((w) => [...w.shape]);
    scramble(model);
    const before = tf.memory().numTensors;
    const report = reinitialize(model, {seed: 11});
    expect(tf.memory().numTensors).toBe(before);
    expect(model.weights.map((w) => [...w.shape])).toEqual(shapes);
    expect(report.map((r) => r.name)).toEqual(model.weights.map((w) => w.name));
    const after = values(model);
    after.forEach((v, k) =>
      expect({
        name: model.weights[k].name,
        changed: v.some((x) => x !== Math.fround(0.123)),
      }).toEqual({name: model.weights[k].name, changed: true}),
    );
    // The names cover the weight kinds the issue lists.
    const names = model.weights.map((w) => w.originalName).join(' ');
    for (const kind of [
      'kernel',
      'bias',
      'depthwise_kernel',
      'pointwise_kernel',
      'gamma',
      'beta',
      'moving_mean',
      'moving_variance',
      'recurrent_kernel',
    ]) {
      expect(names).toContain(kind);
    }
  });

  it('applies each weight its own configured scheme: constants exactly, random ones at their variance', () => {
    reinitialize(model, {seed: 5});
    const byName = new Map(model.weights.map((w) => [w.originalName, w]));
    const get = (suffix: string): Float32Array => {
      const w = [...byName.entries()].find(([n]) => n.endsWith(suffix));
      if (w === undefined) throw new Error(suffix);
      return w[1].read().dataSync() as Float32Array;
    };
    expect([...get('batch_normalization_BatchNormalization1/gamma')].every((v) => v === 1)).toBe(
      true,
    );
    expect([...get('moving_mean')].every((v) => v === 0)).toBe(true);
    expect([...get('moving_variance')].every((v) => v === 1)).toBe(true);
    // LSTM forget-gate bias: ones in the second quarter (tfjs's unitForgetBias wrapper ran).
    const lstmBias = get('forward_lstm_LSTM1/bias');
    expect([...lstmBias.slice(3, 6)]).toEqual([1, 1, 1]);
    expect([...lstmBias.slice(0, 3)]).toEqual([0, 0, 0]);
    // The Kaiming kernel of the nested model: Var = 2 / fanIn = 2/24 within sampling error.
    const kaiming = model.weights.find(
      (w) => w.shape[0] === 24 && w.shape[1] === 12,
    ) as tfl.LayerVariable;
    const {variance, n} = moments(kaiming.read().dataSync());
    expect(Math.abs(variance - 2 / 24)).toBeLessThan(5 * (2 / 24) * Math.sqrt(0.8 / n));
  });

  it('is reproducible with a seed, differs between seeds, and seeds weight k with deriveSeed(seed, k)', () => {
    reinitialize(model, {seed: 42});
    const a = values(model);
    scramble(model);
    const report = reinitialize(model, {seed: 42});
    expect(values(model)).toEqual(a);
    reinitialize(model, {seed: 43});
    const c = values(model);
    model.weights.forEach((_w, k) => {
      if (report[k].seed !== null) expect(c[k]).not.toEqual(a[k]);
    });
    // Weight k of model.weights is drawn with deriveSeed(42, k), overriding the initializer's own seed.
    const k = model.weights.findIndex(
      (w) => w.shape.length === 2 && w.shape[0] === 12 && w.shape[1] === 24,
    );
    expect(report[k]).toEqual(
      expect.objectContaining({initializer: 'XavierUniformCustom', seed: deriveSeed(42, k)}),
    );
    const expected = new XavierUniformCustom({seed: deriveSeed(42, k)}).apply([12, 24]);
    expect(a[k]).toEqual(expected.dataSync());
    expected.dispose();
  });

  it('without a seed, runs initializers as configured: seeded ones repeat, ours follow setSeed', () => {
    const own = zoo(); // options as built (a seeded reinitialize writes its seeds into them)
    setSeed(9);
    reinitialize(own);
    const a = values(own);
    setSeed(9);
    const report = reinitialize(own);
    const b = values(own);
    own.dispose();
    const xavier = report.findIndex((r) => r.initializer === 'XavierUniformCustom');
    const kaiming = report.findIndex((r) => r.initializer === 'KaimingUniform');
    expect(report[xavier].seed).toBeNull();
    expect(b[xavier]).toEqual(a[xavier]); // seeded: seed 3 every time
    expect(b[kaiming]).toEqual(a[kaiming]); // unseeded, ours: the setSeed stream
    const seeded = new XavierUniformCustom({seed: 3}).apply([12, 24]);
    expect(b[xavier]).toEqual(seeded.dataSync());
    seeded.dispose();
  });

  it('works on a Sequential model and rejects a bad seed', () => {
    const seq = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 3, inputShape: [2]}),
        tfl.layers.embedding({inputDim: 5, outputDim: 2}),
      ],
    });
    scramble(seq);
    const before = values(seq);
    reinitialize(seq, {seed: 1});
    values(seq).forEach((v, k) => expect(v).not.toEqual(before[k]));
    expect(() => reinitialize(seq, {seed: -1})).toThrow(InitializerError);
    expect(() => reinitialize(seq, {seed: 1.5})).toThrow(/seed/);
    seq.dispose();
  });

  it(
    'plans every weight before writing any: a layer that cannot ' +
      'be rebuilt, or a disposed model, leaves every ' +
      'weight as it was',
    () => {
      // A layer class nobody registered, after a Dense layer: the Dense kernel must not be rewritten.
      const Base = (tfl.layers as unknown as {Layer: new (args: object) => tfl.layers.Layer}).Layer;
      class Unregistered extends Base {
        static className = 'UnregisteredScale';
        override build(shape: Array<number | null> | Array<Array<number | null>>): void {
          const dims = shape as number[];
          this.addWeight('scale', [dims[dims.length - 1]], 'float32', tfl.initializers.ones());
          this.built = true;
        }
        override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
          return tf.tidy(() => (Array.isArray(x) ? x[0] : x).clone());
        }
      }
      const input = tfl.input({shape: [3]});
      const hidden = tfl.layers.dense({units: 4}).apply(input) as tfl.SymbolicTensor;
      const m = tfl.model({
        inputs: input,
        outputs: new Unregistered({}).apply(hidden) as tfl.SymbolicTensor,
      });
      scramble(m);
      const before = values(m);
      const tensors = tf.memory().numTensors;
      expect(() => reinitialize(m, {seed: 1})).toThrow(
        "reinitialize: layer 'unregistered_scale_UnregisteredScale1' " +
          "has class 'UnregisteredScale', which is not registered with " +
          'tf.serialization; register it (saving the model ' +
          'needs that too)',
      );
      expect(values(m)).toEqual(before);
      expect(tf.memory().numTensors).toBe(tensors);
      m.dispose();
      expect(() => reinitialize(m)).toThrow(
        'reinitialize: option `model` must be a tf.LayersModel that ' +
          'is not disposed (one of its weights is). Received: model=a ' +
          'Model named',
      );
    },
  );
});
