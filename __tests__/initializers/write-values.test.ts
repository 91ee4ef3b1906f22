/**
 * Writes in a weight's own memory (src/initializers/write-values.ts, src/core/host-memory.ts), on
 * the backend of the jest project (cpu, and wasm in the wasm project): every in-place function gives
 * the bits of the allocating path; a weight's data id — its memory — stays the same when nothing
 * shares it, and tensors that share it keep the old values; tf.memory() does not move; later ops
 * and gradients see what they see after `assign`; reinitialize, applyInitializers and lsuv write
 * through the same path.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  DeltaOrthogonal,
  Dirac,
  Eye,
  KaimingNormal,
  Normal,
  OrthogonalInitializer,
  SparseInit,
  Uniform,
  XavierUniformCustom,
  ZerO,
  ZeroBias,
  constant_,
  deltaOrthogonal_,
  dirac_,
  eye_,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  orthogonal_,
  setSeed,
  sparse_,
  truncNormal_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zerO_,
  zeros_,
  type Writable,
} from '../../src';
import {applyInitializers, lsuv, reinitialize} from '../../src/tools';
import {exclusiveHostMemory} from '../../src/core/host-memory';
import {
  prepareInitializer,
  scaleValues,
  writeInitializer,
  writePrepared,
  writeValues,
} from '../../src/initializers/write-values';

const backend = (): string => tf.getBackend();
beforeAll(() => tf.ready());
const HOST = ['cpu', 'wasm'];

/** A float32 variable filled with 7 whose data nothing else shares. */
function fresh(shape: number[], dtype: tf.DataType = 'float32'): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, 7, dtype)));
}

const copy = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync() as Float32Array);

type Fill = (w: Writable) => unknown;

/** Every in-place function, with arguments that reach its SIMD and odd-length paths. */
const FILLS: Array<[string, Fill, number[]]> = [
  ['uniform_', (w) => uniform_(w, -0.5, 2, {seed: 1}), [37, 29]],
  ['normal_', (w) => normal_(w, 1, 0.1, {seed: 2}), [37, 29]],
  ['truncNormal_', (w) => truncNormal_(w, 0, 1, -0.5, Infinity, {seed: 3}), [37, 29]],
  ['constant_', (w) => constant_(w, 0.1), [37, 29]],
  ['ones_', (w) => ones_(w), [5, 3]],
  ['zeros_', (w) => zeros_(w), [5, 3]],
  ['eye_', (w) => eye_(w), [6, 9]],
  ['dirac_', (w) => dirac_(w, {groups: 2, tap: 'upper'}), [2, 3, 2, 4]],
  ['xavierUniform_', (w) => xavierUniform_(w, 2, {seed: 4}), [37, 29]],
  ['xavierNormal_', (w) => xavierNormal_(w, 1, {seed: 5}), [37, 29]],
  [
    'kaimingUniform_',
    (w) => kaimingUniform_(w, Math.sqrt(5), 'fanIn', 'leakyRelu', {seed: 6}),
    [37, 29],
  ],
  [
    'kaimingNormal_',
    (w) => kaimingNormal_(w, {mode: 'fanOut', nonlinearity: 'relu', seed: 7}),
    [3, 3, 5, 8],
  ],
  ['orthogonal_', (w) => orthogonal_(w, 1.5, {seed: 8, gates: 2}), [12, 40]],
  ['orthogonal_ (columnAxis 0)', (w) => orthogonal_(w, 1, {seed: 8, columnAxis: 0}), [6, 3, 2, 5]],
  ['sparse_', (w) => sparse_(w, 0.7, 0.1, {seed: 9}), [37, 29]],
  ['deltaOrthogonal_', (w) => deltaOrthogonal_(w, 1, {seed: 10}), [3, 3, 4, 6]],
  ['zerO_', (w) => zerO_(w), [3, 3, 3, 5]],
  ['uniform_ (unseeded, setSeed stream)', (w) => uniform_(w, -1, 1), [37, 29]],
  ['orthogonal_ (unseeded, setSeed stream)', (w) => orthogonal_(w), [16, 16]],
];

/** Runs `fill` after setSeed(77), so unseeded fills draw the same stream position. */
function filled(fill: Fill, w: tf.Variable): Float32Array {
  setSeed(77);
  fill(w);
  return copy(w);
}

describe("writes in a weight's own memory (on the project's backend)", () => {
  it('the jest project runs on a host backend', () => {
    expect(HOST).toContain(backend());
  });

  it.each(FILLS)(
    '%s writes in place, bit for bit what the allocating path writes, and creates no tensor',
    (_name, fill, shape) => {
      const w = fresh(shape);
      const dataId = w.dataId;
      const memory = tf.memory();
      const inPlace = filled(fill, w);
      expect(w.dataId).toBe(dataId);
      expect(tf.memory().numTensors).toBe(memory.numTensors);
      expect(tf.memory().numDataBuffers).toBe(memory.numDataBuffers);
      expect(tf.memory().numBytes).toBe(memory.numBytes);
      // The allocating path: a reshape shares the data, so the write assigns a new tensor.
      const other = fresh(shape);
      const otherId = other.dataId;
      const sharer = tf.reshape(other, [-1]);
      const allocated = filled(fill, other);
      expect(other.dataId).not.toBe(otherId);
      expect(inPlace).toEqual(allocated);
      expect(Array.from(sharer.dataSync())).toEqual(new Array(inPlace.length).fill(7));
      expect(inPlace.some((x) => x !== 7)).toBe(true);
      tf.dispose([w, other, sharer]);
    },
  );

  it('writes the bits of the twin class, whose apply it replaces', () => {
    const w = fresh([37, 29]);
    for (const init of [
      new Uniform({low: -3, high: 5, seed: 1}),
      new Normal({std: 0.02, seed: 2}),
      new KaimingNormal({seed: 3}),
      new XavierUniformCustom({seed: 4}),
      new OrthogonalInitializer({seed: 5}),
      new SparseInit({sparsity: 0.3, seed: 6}),
      new Eye({gain: 2}),
      new ZeroBias(),
    ]) {
      const dataId = w.dataId;
      expect(writeInitializer(w, init)).toBe('inPlace');
      expect(w.dataId).toBe(dataId);
      const expected = init.apply([37, 29]);
      expect(copy(w)).toEqual(copy(expected));
      expected.dispose();
    }
    // tfjs's constants are written in place too; its random initializers are assigned.
    for (const [init, mode] of [
      [tfl.initializers.zeros(), 'inPlace'],
      [tfl.initializers.ones(), 'inPlace'],
      [tfl.initializers.constant({value: 0.1}), 'inPlace'],
      [tfl.initializers.glorotUniform({seed: 1}), 'assigned'],
    ] as const) {
      expect(writeInitializer(w, init)).toBe(mode);
      const expected = init.apply([37, 29]);
      expect(copy(w)).toEqual(copy(expected));
      expected.dispose();
    }
    const conv = fresh([3, 3, 4, 6]);
    for (const init of [new Dirac(), new DeltaOrthogonal({seed: 1}), new ZerO()]) {
      expect(writeInitializer(conv, init)).toBe('inPlace');
      const expected = init.apply([3, 3, 4, 6]);
      expect(copy(conv)).toEqual(copy(expected));
      expected.dispose();
    }
    tf.dispose([w, conv]);
  });

  it('keeps every tensor that shares the data (clone, reshape, tf.variable) at its old values', () => {
    const sharers: Array<[string, (w: tf.Variable) => tf.Tensor]> = [
      ['clone', (w) => w.clone()],
      ['tf.clone', (w) => tf.clone(w)],
      ['reshape', (w) => tf.reshape(w, [-1])],
      ['expandDims', (w) => tf.expandDims(w, 0)],
      ['tf.variable', (w) => tf.variable(w)],
    ];
    for (const [name, share] of sharers) {
      const w = fresh([8, 16]);
      const other = share(w);
      const before = tf.memory().numTensors;
      kaimingNormal_(w, {seed: 1});
      expect({name, old: Array.from(other.dataSync()).every((x) => x === 7)}).toEqual({
        name,
        old: true,
      });
      expect(copy(w).every((x) => x !== 7)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      // Once the old data is no longer shared, the next write is in place again.
      const dataId = w.dataId;
      kaimingNormal_(w, {seed: 2});
      expect(w.dataId).toBe(dataId);
      tf.dispose([w, other]);
    }
  });

  it('an array from an earlier dataSync() is a view on cpu (it sees the new values), a copy on wasm', () => {
    const w = fresh([4, 4]);
    const early = w.dataSync();
    uniform_(w, 0, 1, {seed: 1});
    const now = Array.from(copy(w));
    expect(Array.from(early)).toEqual(backend() === 'cpu' ? now : new Array(16).fill(7));
    w.dispose();
  });

  it('never writes a variable made from a slice of another tensor (its memory may be part of that one)', () => {
    const big = tf.fill([6, 8], 7);
    const w = tf.tidy(() => tf.variable(tf.slice(big, [2, 0], [3, 8])));
    uniform_(w, -1, 1, {seed: 3});
    expect(Array.from(big.dataSync()).every((x) => x === 7)).toBe(true);
    expect(copy(w).every((x) => x !== 7)).toBe(true);
    tf.dispose([big, w]);
  });

  it('later ops and gradients see the new values, as after assign', () => {
    const w = fresh([4, 3]);
    normal_(w, 0, 1, {seed: 4});
    const expected = new Normal({seed: 4}).apply([4, 3]);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(copy(tf.matMul(x, w))).toEqual(copy(tf.matMul(x, expected)));
    const {grads} = tf.variableGrads(() => tf.sum(tf.square(w)) as tf.Scalar, [w]);
    expect(copy(grads[w.name])).toEqual(copy(tf.mul(expected, 2)));
    tf.dispose([w, expected, x, grads[w.name]]);
  });

  it('ops that used the old values before (wasm caches packed weights and biases) see the new ones', () => {
    const build = (): tfl.LayersModel =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({filters: 4, kernelSize: 3, inputShape: [6, 6, 2], activation: 'relu'}),
          tfl.layers.flatten(),
          tfl.layers.dense({units: 6}),
        ],
      });
    const [model, twin] = [build(), build()];
    const image = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 2);
    for (const seed of [1, 2, 3]) {
      tf.dispose(model.predict(image) as tf.Tensor); // the backend sees the old values
      const ids = model.weights.map((w) => w.read().dataId);
      for (const w of model.weights) normal_(w, 0, 1, {seed});
      expect(model.weights.every((w, i) => w.read().dataId === ids[i])).toBe(true);
      // The same values in new tensors, which no op has seen.
      const copies = model.weights.map((w) => tf.tensor(copy(w.read()), w.shape as number[]));
      twin.setWeights(copies);
      tf.dispose(copies);
      const [got, expected] = [model, twin].map((m) => m.predict(image) as tf.Tensor);
      expect(copy(got)).toEqual(copy(expected));
      tf.dispose([got, expected]);
    }
    image.dispose();
    model.dispose();
    twin.dispose();
  });

  it('a write while a gradient tape holds the variable assigns instead: the tape keeps the values it saw', () => {
    const w = fresh([5]);
    const {value, grads} = tf.variableGrads(() => {
      const loss = tf.sum(tf.square(w)) as tf.Scalar; // the tape saves a copy of w (shared data)
      uniform_(w, 0, 1, {seed: 5});
      return loss;
    }, [w]);
    expect(Array.from(grads[w.name].dataSync())).toEqual([14, 14, 14, 14, 14]);
    expect(value.dataSync()[0]).toBe(5 * 49);
    expect(copy(w).every((v) => v >= 0 && v < 1)).toBe(true);
    tf.dispose([w, value, grads[w.name]]);
  });

  it('writes layer weights in place and applies their constraint, as LayerVariable.write does', () => {
    const layer = tfl.layers.dense({
      units: 6,
      inputShape: [5],
      kernelConstraint: tfl.constraints.nonNeg(),
    });
    const model = tfl.sequential({layers: [layer]});
    const kernel = layer.weights[0];
    const dataId = kernel.read().dataId;
    const before = tf.memory().numTensors;
    normal_(kernel, 0, 1, {seed: 6});
    expect(tf.memory().numTensors).toBe(before);
    const drawn = copy(new Normal({seed: 6}).apply([5, 6]));
    expect(copy(kernel.read())).toEqual(drawn.map((v) => (v < 0 ? 0 : v)));
    const bias = layer.weights[1];
    const biasId = bias.read().dataId;
    uniform_(bias, 1, 2, {seed: 7});
    expect(bias.read().dataId).toBe(biasId);
    expect(dataId).toBeDefined();
    model.dispose();
  });

  it('leaves other dtypes to the allocating path, with the errors of today', () => {
    const ints = fresh([3, 2], 'int32');
    constant_(ints, 3);
    expect(Array.from(ints.dataSync())).toEqual([3, 3, 3, 3, 3, 3]);
    expect(() => kaimingNormal_(ints)).toThrow(/dtype must be one of 'float32'/);
    expect(exclusiveHostMemory(ints)).toBeNull();
    const w = fresh([3, 4]);
    w.dispose();
    expect(() => uniform_(w)).toThrow(/that is not disposed/);
    ints.dispose();
  });

  it('exclusiveHostMemory: the values themselves where nothing shares them, null otherwise', () => {
    const w = fresh([3, 4]);
    const memory = exclusiveHostMemory(w);
    expect(memory?.backend).toBe(backend());
    expect(Array.from(memory?.values ?? [])).toEqual(new Array(12).fill(7));
    const view = tf.reshape(w, [12]);
    expect(exclusiveHostMemory(w)).toBeNull();
    view.dispose();
    expect(exclusiveHostMemory(w)).not.toBeNull();
    expect(exclusiveHostMemory(tf.scalar(1, 'int32'))).toBeNull();
    w.dispose();
    expect(exclusiveHostMemory(w)).toBeNull();
  });

  it('scaleValues multiplies in place bit for bit as tf.mul does, subnormals and overflow included', () => {
    const values = [1.5, -3, 1e-40, -1e-45, 3e38, 0.1, -0, 7, 1 / 3, 2 ** -126];
    for (const factor of [1 / Math.sqrt(3), 0.1, 10, 1e-30, -2.5]) {
      const w = tf.tidy(() => tf.variable(tf.tensor1d(values)));
      const expected = tf.mul(w, factor);
      const dataId = w.dataId;
      expect(scaleValues(w, factor)).toBe('inPlace');
      expect(w.dataId).toBe(dataId);
      expect(copy(w)).toEqual(copy(expected));
      tf.dispose([w, expected]);
    }
  });

  it('writeValues checks before the first store: a failing initializer leaves the weight as it was', () => {
    const w = fresh([4, 4]);
    expect(() => writeInitializer(w, new OrthogonalInitializer({gates: 3}))).toThrow(
      /must split into `gates`=3/,
    );
    expect(copy(w).every((x) => x === 7)).toBe(true);
    expect(writeValues(w, null, () => tf.ones([4, 4]))).toBe('assigned');
    expect(copy(w).every((x) => x === 1)).toBe(true);
    w.dispose();
  });

  it('prepareInitializer takes the stream seed when called, so later writes draw what immediate ones would', () => {
    setSeed(3);
    const expectedA = copy(new Normal().apply([40]));
    const expectedB = copy(tfl.initializers.randomNormal({mean: 0, stddev: 1}).apply([40]));
    const expectedC = copy(new Uniform().apply([40]));
    const [a, b, c] = [fresh([40]), fresh([40]), fresh([40])];
    setSeed(3);
    const prepared = [
      prepareInitializer(new Normal(), [40], 'float32'),
      prepareInitializer(tfl.initializers.randomNormal({mean: 0, stddev: 1}), [40], 'float32'),
      prepareInitializer(new Uniform(), [40], 'float32'),
    ];
    expect(writePrepared(c, prepared[2])).toBe('inPlace');
    expect(writePrepared(b, prepared[1])).toBe('assigned');
    expect(writePrepared(a, prepared[0])).toBe('inPlace');
    expect([copy(a), copy(b), copy(c)]).toEqual([expectedA, expectedB, expectedC]);
    tf.dispose([a, b, c]);
  });
});

describe('the model tools write through the same path', () => {
  function model(): tfl.LayersModel {
    return tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 24,
          inputShape: [16],
          activation: 'tanh',
          kernelInitializer: new XavierUniformCustom(),
          biasInitializer: new ZeroBias(),
        }),
        tfl.layers.dense({
          units: 8,
          kernelInitializer: new KaimingNormal(),
          biasInitializer: 'zeros',
        }),
      ],
    });
  }

  /** Weights' data ids, then values. */
  const ids = (m: tfl.LayersModel): object[] => m.weights.map((w) => w.read().dataId);
  const values = (m: tfl.LayersModel): Float32Array[] => m.weights.map((w) => copy(w.read()));

  it('reinitialize writes every weight of ours in place, bit for bit as the allocating path', () => {
    const a = model();
    const b = model();
    const before = tf.memory().numTensors;
    const idsA = ids(a);
    reinitialize(a, {seed: 5});
    // Ours in place, and tfjs's 'zeros' (the last bias) too.
    expect(ids(a).map((id, i) => id === idsA[i])).toEqual([true, true, true, true]);
    expect(tf.memory().numTensors).toBe(before);
    const held = b.weights.map((w) => tf.reshape(w.read(), [-1])); // shared: the allocating path
    reinitialize(b, {seed: 5});
    expect(ids(b).some((id, i) => id === held[i].dataId)).toBe(false);
    expect(values(a)).toEqual(values(b));
    setSeed(8);
    reinitialize(a);
    setSeed(8);
    reinitialize(b);
    expect(values(a)).toEqual(values(b));
    tf.dispose(held);
    a.dispose();
    b.dispose();
  });

  it('applyInitializers writes in place and draws what the allocating path draws, stream order too', () => {
    const rules = [
      {layer: 'Dense', weight: 'kernel', initializer: new Normal({std: 0.5})},
      {weight: 'bias', initializer: 'randomNormal'},
    ];
    const a = model();
    const b = model();
    const idsA = ids(a);
    setSeed(21);
    applyInitializers(a, rules);
    const [k0, , k1] = ids(a);
    expect([k0, k1]).toEqual([idsA[0], idsA[2]]);
    const held = b.weights.map((w) => tf.reshape(w.read(), [-1]));
    setSeed(21);
    applyInitializers(b, rules);
    expect(values(a)).toEqual(values(b));
    // The allocating order of draws: layer by layer, kernel then bias.
    setSeed(21);
    const expected = b.weights.map((w, i) =>
      copy(
        i % 2 === 0
          ? new Normal({std: 0.5}).apply(w.shape as number[])
          : tfl.initializers.randomNormal({}).apply(w.shape as number[]),
      ),
    );
    expect(values(a)).toEqual(expected);
    tf.dispose(held);
    a.dispose();
    b.dispose();
  });

  it('lsuv rescales in place: only the first write of a kernel may assign (lsuv keeps a backup)', async () => {
    // Its backup is a clone: shared data on cpu (the first write assigns), a copy on wasm.
    const probe = fresh([2]);
    const backup = probe.clone();
    const firstWriteAssigns = exclusiveHostMemory(probe) === null ? 1 : 0;
    tf.dispose([probe, backup]);
    const batch = tf.randomNormal([32, 16], 0, 1, 'float32', 1);
    const m = model();
    const kernels = [m.weights[0].read(), m.weights[2].read()] as tf.Variable[];
    const ids = kernels.map((k) => k.dataId);
    const assigns = kernels.map((k) => jest.spyOn(k, 'assign'));
    const before = tf.memory().numTensors;
    const report = await lsuv(m, batch, {seed: 2, tolerance: 0.001, maxIterations: 10});
    expect(tf.memory().numTensors).toBe(before);
    expect(report.map((r) => r.iterations).every((n) => n >= 1)).toBe(true);
    expect(assigns.map((a) => a.mock.calls.length)).toEqual([firstWriteAssigns, firstWriteAssigns]);
    expect(kernels.map((k, i) => k.dataId === ids[i])).toEqual([
      !firstWriteAssigns,
      !firstWriteAssigns,
    ]);
    for (const r of report) expect(Math.abs(r.variance - 1)).toBeLessThan(0.001);
    batch.dispose();
    m.dispose();
  });
});
