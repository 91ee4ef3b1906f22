import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  DeltaOrthogonal,
  Dirac,
  Eye,
  InitializerError,
  KaimingNormal,
  KaimingUniform,
  Normal,
  OrthogonalInitializer,
  SparseInit,
  TruncNormal,
  Uniform,
  XavierNormal,
  XavierUniformCustom,
  ZerO,
  constant_,
  deltaOrthogonal_,
  dirac_,
  eye_,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  orthogonal_,
  fillTruncNormal,
  setSeed,
  sparse_,
  truncNormal_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zerO_,
  zeros_,
  type Writable,
} from '../src';
import {take} from './helpers/stats';

type Case = [string, (w: Writable) => Writable, () => Float32Array | number[], number[]];

const cases: Case[] = [
  [
    'uniform_',
    (w) => uniform_(w, -0.5, 0.5, {seed: 1}),
    () => take(new Uniform({low: -0.5, high: 0.5, seed: 1}).apply([6, 4])),
    [6, 4],
  ],
  [
    'normal_',
    (w) => normal_(w, 1, 0.1, {seed: 2}),
    () => take(new Normal({mean: 1, std: 0.1, seed: 2}).apply([6, 4])),
    [6, 4],
  ],
  [
    'truncNormal_',
    (w) => truncNormal_(w, 0, 0.02, -0.04, 0.04, {seed: 3}),
    () => take(new TruncNormal({std: 0.02, a: -0.04, b: 0.04, seed: 3}).apply([6, 4])),
    [6, 4],
  ],
  ['constant_', (w) => constant_(w, 0.25), () => new Array(24).fill(0.25), [6, 4]],
  ['ones_', (w) => ones_(w), () => new Array(24).fill(1), [6, 4]],
  ['zeros_', (w) => zeros_(w), () => new Array(24).fill(0), [6, 4]],
  ['eye_', (w) => eye_(w), () => take(new Eye().apply([6, 4])), [6, 4]],
  [
    'dirac_',
    (w) => dirac_(w, 2),
    () => take(new Dirac({groups: 2}).apply([3, 3, 2, 4])),
    [3, 3, 2, 4],
  ],
  [
    'dirac_ (options)',
    (w) => dirac_(w, {tap: 'upper'}),
    () => take(new Dirac({tap: 'upper'}).apply([2, 2, 2, 4])),
    [2, 2, 2, 4],
  ],
  [
    'xavierUniform_',
    (w) => xavierUniform_(w, 2, {seed: 4}),
    () => take(new XavierUniformCustom({gain: 2, seed: 4}).apply([6, 4])),
    [6, 4],
  ],
  [
    'xavierNormal_',
    (w) => xavierNormal_(w, 1, {seed: 5}),
    () => take(new XavierNormal({seed: 5}).apply([6, 4])),
    [6, 4],
  ],
  [
    'kaimingUniform_',
    (w) => kaimingUniform_(w, Math.sqrt(5), 'fanIn', 'leakyRelu', {seed: 6}),
    () => take(new KaimingUniform({a: Math.sqrt(5), seed: 6}).apply([6, 4])),
    [6, 4],
  ],
  [
    'kaimingNormal_ (positional)',
    (w) => kaimingNormal_(w, 0, 'fanOut', 'relu', {seed: 7}),
    () =>
      take(new KaimingNormal({mode: 'fanOut', nonlinearity: 'relu', seed: 7}).apply([3, 3, 2, 4])),
    [3, 3, 2, 4],
  ],
  [
    'kaimingNormal_ (options)',
    (w) => kaimingNormal_(w, {mode: 'fanOut', nonlinearity: 'relu', seed: 7}),
    () =>
      take(new KaimingNormal({mode: 'fanOut', nonlinearity: 'relu', seed: 7}).apply([3, 3, 2, 4])),
    [3, 3, 2, 4],
  ],
  [
    'orthogonal_',
    (w) => orthogonal_(w, 1.5, {seed: 8, gates: 2}),
    () => take(new OrthogonalInitializer({gain: 1.5, seed: 8, gates: 2}).apply([4, 8])),
    [4, 8],
  ],
  [
    'sparse_',
    (w) => sparse_(w, 0.5, 0.1, {seed: 9}),
    () => take(new SparseInit({sparsity: 0.5, std: 0.1, seed: 9}).apply([6, 4])),
    [6, 4],
  ],
  [
    'deltaOrthogonal_',
    (w) => deltaOrthogonal_(w, 1, {seed: 10}),
    () => take(new DeltaOrthogonal({seed: 10}).apply([3, 3, 2, 4])),
    [3, 3, 2, 4],
  ],
  ['zerO_', (w) => zerO_(w), () => take(new ZerO().apply([2, 6])), [2, 6]],
];

describe('PyTorch-style in-place functions', () => {
  it.each(cases)(
    "%s overwrites a tf.Variable with the twin class's values, leaking nothing",
    (_name, fn, expected, shape) => {
      const v = tf.variable(tf.fill(shape, 7));
      const before = tf.memory().numTensors;
      expect(fn(v)).toBe(v);
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(v.dataSync())).toEqual(Array.from(expected()));
      v.dispose();
    },
  );

  it.each(cases)(
    '%s overwrites a layer weight (LayerVariable), leaking nothing',
    (_name, fn, expected, shape) => {
      const layer =
        shape.length === 2
          ? tfl.layers.dense({units: shape[1], inputShape: [shape[0]], kernelInitializer: 'ones'})
          : tfl.layers.conv2d({
              filters: shape[3],
              kernelSize: [shape[0], shape[1]],
              inputShape: [6, 6, shape[2]],
              kernelInitializer: 'ones',
            });
      const model = tfl.sequential({layers: [layer]});
      const kernel = layer.weights[0];
      const before = tf.memory().numTensors;
      fn(kernel);
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(layer.getWeights()[0].dataSync())).toEqual(Array.from(expected()));
      model.dispose();
    },
  );

  it('unseeded calls follow setSeed like torch.manual_seed', () => {
    const a = tf.variable(tf.zeros([5, 5]));
    const b = tf.variable(tf.zeros([5, 5]));
    setSeed(99);
    kaimingUniform_(a);
    setSeed(99);
    kaimingUniform_(b);
    expect(a.dataSync()).toEqual(b.dataSync());
    kaimingUniform_(b);
    expect(a.dataSync()).not.toEqual(b.dataSync());
    tf.dispose([a, b]);
  });

  it('keeps the dtype of constant fills and rejects what it cannot overwrite', () => {
    const ints = tf.variable(tf.zeros([2, 2], 'int32'));
    constant_(ints, 3);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3, 3, 3]);
    expect(() => xavierUniform_(ints)).toThrow(/dtype must be one of 'float32'/);
    ints.dispose();
    const t = tf.zeros([2, 2]);
    expect(() => uniform_(t as never)).toThrow(InitializerError);
    expect(() => uniform_(t as never)).toThrow(
      /uniform_: option `tensor` must be a tf.Variable or a layer weight \(LayerVariable\); tfjs tensors are immutable/,
    );
    t.dispose();
    const v = tf.variable(tf.zeros([3, 3]));
    expect(() => constant_(v, NaN)).toThrow(
      'constant_: argument `val` must be a finite number. Received: val=NaN',
    );
    expect(() => kaimingNormal_(v, {mode: 'fanOut'}, 'fanIn')).toThrow(
      /kaimingNormal_: give either an options object or positional arguments/,
    );
    expect(() => uniform_(v, 1, 0)).toThrow(/Uniform: option `low` must be less than `high`/);
    const before = tf.memory().numTensors;
    expect(() => orthogonal_(v, 1, {gates: 2})).toThrow(/must split into `gates`=2/);
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });

  it(
    'refuses a disposed variable or layer weight with an ' +
      "InitializerError, not tfjs's bare error (tfjs lets assign " +
      'on a disposed tf.Variable pass)',
    () => {
      const v = tf.variable(tf.zeros([3, 4]));
      v.dispose();
      const before = tf.memory().numTensors;
      for (const fill of [() => xavierUniform_(v), () => constant_(v, 1), () => zeros_(v)]) {
        expect(fill).toThrow(
          'option `tensor` must be a tf.Variable or a layer weight ' +
            '(LayerVariable) that is not disposed. Received: tensor=a ' +
            'float32 tensor of shape [3, 4]',
        );
      }
      const model = tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [3]})]});
      const kernel = model.layers[0].weights[0];
      model.dispose();
      expect(() => kaimingNormal_(kernel)).toThrow(
        'kaimingNormal_: option `tensor` must be a tf.Variable or a ' +
          'layer weight (LayerVariable) that is not disposed. ' +
          'Received: tensor=a float32 tensor of shape [3, 4]',
      );
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('constant_ refuses non-finite values and magnitudes past 1e36, like every real-valued option', () => {
    const v = tf.variable(tf.zeros([2]));
    expect(() => constant_(v, Infinity)).toThrow(
      'constant_: argument `val` must be a finite number. Received: val=Infinity',
    );
    expect(() => constant_(v, -Infinity)).toThrow('Received: val=-Infinity');
    expect(() => constant_(v, 1e37)).toThrow(
      'constant_: argument `val` must be at most 1e36 in magnitude ' +
        '(larger values overflow float32). Received: val=1e+37',
    );
    expect(() => constant_(v, undefined as never)).toThrow(
      'constant_: argument `val` must be a finite number. Received: val=undefined',
    );
    constant_(v, -1e36);
    expect(Array.from(v.dataSync())).toEqual([Math.fround(-1e36), Math.fround(-1e36)]);
    v.dispose();
  });

  it(
    'truncNormal_ takes infinite bounds, as fillTruncNormal and ' +
      'torch.nn.init.trunc_normal_ do, and draws exactly what ' +
      'fillTruncNormal draws',
    () => {
      const n = 20000;
      const v = tf.variable(tf.zeros([n]));
      for (const [a, b] of [
        [0, Infinity],
        [-Infinity, 1],
        [-Infinity, Infinity],
      ]) {
        truncNormal_(v, 0, 1, a, b, {seed: 11});
        const expected = new Float32Array(n);
        fillTruncNormal(expected, 11, 0, 0, 1, a, b);
        expect(v.dataSync()).toEqual(expected);
      }
      // [0, ∞): the half-normal, mean √(2/π), sd √(1 − 2/π); 5 standard errors.
      truncNormal_(v, 0, 1, 0, Infinity, {seed: 3});
      const values = Array.from(v.dataSync());
      const mean = values.reduce((x, y) => x + y, 0) / n;
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(mean - Math.sqrt(2 / Math.PI))).toBeLessThan(
        5 * Math.sqrt((1 - 2 / Math.PI) / n),
      );
      expect(() => truncNormal_(v, 0, 1, NaN, 1)).toThrow(
        'TruncNormal: option `a` must be a number (±Infinity allowed). Received: a=NaN',
      );
      expect(() => truncNormal_(v, 0, 1, Infinity, Infinity)).toThrow(
        'TruncNormal: option `a` must be less than `b`. Received: a=Infinity, b=Infinity',
      );
      // The class is saved as JSON, which has no ±Infinity: it keeps finite bounds.
      expect(() => new TruncNormal({a: -Infinity})).toThrow(
        'TruncNormal: option `a` must be a finite number. Received: a=-Infinity',
      );
      v.dispose();
    },
  );
});
