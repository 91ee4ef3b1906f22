import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// The full bundle: tfjs's own default initializers (Orthogonal for LSTM recurrent kernels) need its chained ops.
import * as tf from '@tensorflow/tfjs';
import {
  InitializerError,
  KaimingNormal,
  OrthogonalInitializer,
  XavierUniformCustom,
  deriveSeed,
  setSeed,
} from '../../src';
import {applyInitializers, type InitializerRule} from '../../src/tools';
import {fileIO} from '../../src/node';
import {ksCritical, ksDistance} from '../helpers/ks';
import {upperTail} from '../helpers/normal-cdf';
import {meanTolerance, moments, varianceTolerance} from '../helpers/stats';

type Json = Record<string, unknown>;

/** An MLP with batch normalization, every option a tfjs default. */
function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({units: 256, inputShape: [200], activation: 'tanh'}),
      tf.layers.batchNormalization(),
      tf.layers.dense({units: 128, activation: 'tanh'}),
      tf.layers.batchNormalization(),
      tf.layers.dense({units: 10, activation: 'softmax'}),
    ],
  });
}

/** A conv net, tfjs defaults. */
function convNet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({filters: 64, kernelSize: 3, inputShape: [10, 10, 16], activation: 'relu'}),
      tf.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({units: 10}),
    ],
  });
}

const UNITS = 16;
const FEATURES = 192;

/**
 * An LSTM inside Bidirectional, tfjs defaults (Glorot kernel, tfjs's Orthogonal recurrent kernel,
 * zero bias) unless `lstm` says otherwise; tests that need no tfjs Orthogonal pass ours, which is faster.
 */
function biLstm(lstm: Partial<Parameters<typeof tf.layers.lstm>[0]> = {}): tf.LayersModel {
  const input = tf.input({shape: [3, FEATURES]});
  const rnn = tf.layers.bidirectional({
    layer: tf.layers.lstm({units: UNITS, name: 'encoder', ...lstm}) as tf.RNN,
  });
  const output = tf.layers
    .dense({units: 3})
    .apply(rnn.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output});
}

const values = (model: tf.LayersModel): Float32Array[] =>
  model.weights.map((w) => (w.read().dataSync() as Float32Array).slice());
/** Weights whose name ends in `suffix` (a reloaded model's names may carry a `_1`). */
const byName = (model: tf.LayersModel, suffix: string): tf.LayerVariable[] =>
  model.weights.filter((w) => w.name.replace(/_\d+$/, '').endsWith(suffix));
const data = (w: tf.LayerVariable): Float32Array => w.read().dataSync() as Float32Array;

/** Overwrites every weight with seeded N(0, 1) values, so that "unchanged" means something. */
function scramble(model: tf.LayersModel, seed = 99): void {
  model.weights.forEach((w, k) =>
    tf.tidy(() =>
      (w.read() as tf.Variable).assign(
        tf.randomNormal(w.shape as number[], 0, 1, 'float32', seed + k),
      ),
    ),
  );
}

/** The layers of a saved topology, configs as `model.toJSON()` writes them (snake_case). */
function savedLayers(model: tf.LayersModel): Json[] {
  const json = model.toJSON(null, false) as unknown as {config: {layers: Json[]}};
  return json.config.layers.map((l) => l.config as Json);
}

/** Checks a sample against U[−a, a]: support, variance (kurtosis 9/5) and Kolmogorov–Smirnov. */
function expectUniform(sample: Float32Array, a: number): void {
  const {mean, variance, n} = moments(sample);
  expect(Math.max(...sample.map(Math.abs))).toBeLessThanOrEqual(a);
  expect(Math.abs(mean)).toBeLessThan(meanTolerance((a * a) / 3, n));
  expect(Math.abs(variance - (a * a) / 3)).toBeLessThan(varianceTolerance((a * a) / 3, n, 9 / 5));
  expect(ksDistance(sample, (x) => Math.min(1, Math.max(0, (x + a) / (2 * a)))).d).toBeLessThan(
    ksCritical(n),
  );
}

/** Checks a sample against N(0, σ²): variance (kurtosis 3) and Kolmogorov–Smirnov. */
function expectNormal(sample: Float32Array, sigma2: number): void {
  const {mean, variance, n} = moments(sample);
  expect(Math.abs(mean)).toBeLessThan(meanTolerance(sigma2, n));
  expect(Math.abs(variance - sigma2)).toBeLessThan(varianceTolerance(sigma2, n, 3));
  const sigma = Math.sqrt(sigma2);
  expect(ksDistance(sample, (x) => 1 - upperTail(x / sigma)).d).toBeLessThan(ksCritical(n));
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-initializers-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

describe('applyInitializers on an MLP with batch normalization', () => {
  const GAIN = 5 / 3;
  const rules: InitializerRule[] = [
    {layer: 'Dense', weight: 'kernel', initializer: new XavierUniformCustom({gain: GAIN})},
    {weight: 'bias', initializer: 'ZeroBias'},
    {
      layer: 'BatchNormalization',
      weight: 'gamma',
      initializer: {className: 'RandomNormal', config: {mean: 1, stddev: 0.02}},
    },
  ];
  let model: tf.LayersModel;
  let before: Float32Array[];
  let report: ReturnType<typeof applyInitializers>;
  beforeAll(() => {
    model = mlp();
    scramble(model);
    before = values(model);
    const tensors = tf.memory().numTensors;
    report = applyInitializers(model, rules);
    expect(tf.memory().numTensors).toBe(tensors);
  });
  afterAll(() => model.dispose());

  it(
    'draws every Dense kernel from Xavier uniform with the rule ' +
      'gain: U[−a, a], a = gain·√(6/(fanIn + fanOut))',
    () => {
      const kernels = byName(model, '/kernel');
      expect(kernels.map((w) => w.shape)).toEqual([
        [200, 256],
        [256, 128],
        [128, 10],
      ]);
      for (const w of kernels.slice(0, 2)) {
        const [fanIn, fanOut] = w.shape as number[];
        expectUniform(data(w), GAIN * Math.sqrt(6 / (fanIn + fanOut)));
      }
    },
  );

  it('zeroes every bias and draws BN gamma from N(1, 0.02²), leaving every other weight bit for bit', () => {
    for (const w of byName(model, '/bias')) expect([...data(w)].every((v) => v === 0)).toBe(true);
    const gamma = Float32Array.from(
      [...data(byName(model, '/gamma')[0]), ...data(byName(model, '/gamma')[1])],
      (v) => v - 1,
    );
    expectNormal(gamma, 0.02 ** 2);
    const changed = new Set(report.map((r) => r.weight));
    expect(changed.size).toBe(3 + 3 + 2);
    model.weights.forEach((w, k) => {
      if (!changed.has(w.name))
        expect({name: w.name, values: data(w)}).toEqual({name: w.name, values: before[k]});
    });
    expect(
      model.weights.filter((w) => !changed.has(w.name)).map((w) => w.name.split('/').pop()),
    ).toEqual(['beta', 'beta', 'moving_mean', 'moving_variance', 'moving_mean', 'moving_variance']);
  });

  it('reports weight, layer, role, old and new initializer, seed and rule, in the order of model.weights', () => {
    const order = model.weights
      .map((w) => w.name)
      .filter((n) => report.some((r) => r.weight === n));
    expect(report.map((r) => r.weight)).toEqual(order);
    const first = report[0];
    expect(first).toEqual({
      weight: model.weights[0].name,
      layer: model.layers[0].name,
      role: 'kernel',
      shape: [200, 256],
      oldInitializer: {
        className: 'VarianceScaling',
        config: {scale: 1, mode: 'fanAvg', distribution: 'normal', seed: null},
      }, // tfjs's glorotNormal
      newInitializer: {className: 'XavierUniformCustom', config: {gain: GAIN}}, // defaults left out
      seed: null,
      rule: 0,
      reproducible: false, // an unseeded draw: a reload draws afresh
    });
    expect(report.find((r) => r.role === 'gamma')).toEqual(
      expect.objectContaining({
        oldInitializer: {className: 'Ones', config: {}},
        newInitializer: {className: 'RandomNormal', config: {mean: 1, stddev: 0.02, seed: null}},
        rule: 2,
        reproducible: false,
      }),
    );
    expect(
      report
        .filter((r) => r.role === 'bias')
        .every((r) => r.newInitializer.className === 'ZeroBias' && r.rule === 1),
    ).toBe(true);
  });

  it('names the new initializers in the saved config, and a topology-only reload draws from them', async () => {
    const layers = savedLayers(model);
    for (const i of [0, 2, 4]) {
      expect(layers[i].kernel_initializer).toEqual({
        class_name: 'XavierUniformCustom',
        config: {gain: GAIN},
      });
      expect(layers[i].bias_initializer).toEqual({class_name: 'ZeroBias', config: {}});
    }
    for (const i of [1, 3]) {
      expect(layers[i].gamma_initializer).toEqual({
        class_name: 'RandomNormal',
        config: {mean: 1, stddev: 0.02, seed: null},
      });
      expect(layers[i].beta_initializer).toEqual({class_name: 'Zeros', config: {}}); // untouched option
      expect(layers[i].moving_variance_initializer).toEqual({class_name: 'Ones', config: {}});
    }
    const dir = path.join(tmp, 'mlp');
    await model.save(fileIO(dir));
    setSeed(5);
    const fresh = await tf.loadLayersModel(fileIO(dir, {weights: false}));
    const kernels = byName(fresh, '/kernel');
    for (const w of kernels.slice(0, 2)) {
      const [fanIn, fanOut] = w.shape as number[];
      expectUniform(data(w), GAIN * Math.sqrt(6 / (fanIn + fanOut)));
    }
    expect(data(kernels[0])).not.toEqual(data(byName(model, '/kernel')[0])); // a fresh draw, not the saved values
    for (const w of byName(fresh, '/bias')) expect([...data(w)].every((v) => v === 0)).toBe(true);
    fresh.dispose();
  });
});

describe('applyInitializers on a conv net, with {seed}', () => {
  const rules: InitializerRule[] = [
    {
      layer: 'Conv2D',
      weight: 'kernel',
      initializer: new KaimingNormal({mode: 'fanOut', nonlinearity: 'relu'}),
    },
  ];
  let model: tf.LayersModel;
  beforeAll(() => {
    model = convNet();
  });
  afterAll(() => model.dispose());

  it('draws conv kernels from Kaiming normal fan-out, N(0, 2/(k·k·out)), and leaves the Dense layer alone', () => {
    scramble(model);
    const before = values(model);
    const report = applyInitializers(model, rules, {seed: 7});
    expect(report.map((r) => r.weight)).toEqual([model.weights[0].name, model.weights[2].name]);
    // Both kernels ([3, 3, 16, 64] and [3, 3, 64, 64]) have fan-out 3·3·64: one sample of 46,080.
    expect(model.weights[0].shape[3]).toBe(model.weights[2].shape[3]);
    expectNormal(
      Float32Array.from([...data(model.weights[0]), ...data(model.weights[2])]),
      2 / (3 * 3 * 64),
    );
    for (const k of [1, 3, 4, 5]) expect(data(model.weights[k])).toEqual(before[k]);
  });

  it('reproduces bit for bit with the same seed, weight k drawn with deriveSeed(seed, k); other seeds differ', () => {
    applyInitializers(model, rules, {seed: 7});
    const a = values(model);
    scramble(model, 3);
    const report = applyInitializers(model, rules, {seed: 7});
    expect([data(model.weights[0]), data(model.weights[2])]).toEqual([a[0], a[2]]);
    expect(report.map((r) => r.seed)).toEqual([deriveSeed(7, 0), deriveSeed(7, 2)]);
    const expected = new KaimingNormal({
      mode: 'fanOut',
      nonlinearity: 'relu',
      seed: deriveSeed(7, 2),
    }).apply(model.weights[2].shape as number[]);
    expect(data(model.weights[2])).toEqual(expected.dataSync());
    expected.dispose();
    applyInitializers(model, rules, {seed: 8});
    expect(data(model.weights[0])).not.toEqual(a[0]);
  });

  it('saves the seed each kernel was drawn with, so a topology-only reload reproduces it bit for bit', async () => {
    const report = applyInitializers(model, rules, {seed: 7});
    expect(report.map((r) => r.reproducible)).toEqual([true, true]);
    const layers = savedLayers(model);
    expect(layers[0].kernel_initializer).toEqual({
      class_name: 'KaimingNormal',
      config: {mode: 'fan_out', nonlinearity: 'relu', seed: deriveSeed(7, 0)},
    });
    expect(layers[1].kernel_initializer).toEqual({
      class_name: 'KaimingNormal',
      config: {mode: 'fan_out', nonlinearity: 'relu', seed: deriveSeed(7, 2)},
    });
    expect(layers[3].kernel_initializer).toEqual(
      expect.objectContaining({class_name: 'VarianceScaling'}),
    );
    const dir = path.join(tmp, 'conv');
    await model.save(fileIO(dir));
    const fresh = await tf.loadLayersModel(fileIO(dir, {weights: false}));
    for (const k of [0, 2]) expect(data(fresh.weights[k])).toEqual(data(model.weights[k]));
    expect(data(fresh.weights[4])).not.toEqual(data(model.weights[4])); // the Dense kernel: unseeded
    fresh.dispose();
  });
});

describe('applyInitializers on an LSTM inside Bidirectional', () => {
  it(
    'reaches both directions; the wrapper saves the new options ' +
      'and seeds; a topology-only reload draws the same values',
    async () => {
      const model = biLstm();
      scramble(model);
      const before = values(model);
      const tensors = tf.memory().numTensors;
      const report = applyInitializers(
        model,
        [
          {layer: 'LSTM', weight: 'kernel', initializer: 'XavierUniformCustom'},
          {
            layer: 'encoder',
            weight: 'recurrent',
            initializer: new OrthogonalInitializer({gates: 4}),
          },
          {layer: /^bidirectional/, weight: 'bias', initializer: 'zeros'},
        ],
        {seed: 1},
      );
      expect(tf.memory().numTensors).toBe(tensors);
      expect(report.map((r) => r.weight.split('/').slice(1).join('/'))).toEqual([
        'forward_encoder/kernel',
        'forward_encoder/recurrent_kernel',
        'forward_encoder/bias',
        'backward_encoder/kernel',
        'backward_encoder/recurrent_kernel',
        'backward_encoder/bias',
      ]);
      // The kernel [FEATURES, 4·UNITS]: U[−a, a], a = √(6 / (fanIn + fanOut)). The two directions share
      // one saved option, so one seed (the forward kernel's): the backward kernel is the same draw, as
      // a reload of the saved config draws it.
      const bound = Math.sqrt(6 / (FEATURES + 4 * UNITS));
      expectUniform(data(model.weights[0]), bound);
      expect(data(model.weights[3])).toEqual(data(model.weights[0]));
      const [kernel, recurrent] = [deriveSeed(1, 0), deriveSeed(1, 1)]; // zeros take no seed
      expect(report.map((r) => r.seed)).toEqual([kernel, recurrent, null, kernel, recurrent, null]);
      for (const k of [1, 4]) {
        // Each gate block [UNITS, UNITS] of the recurrent kernel [UNITS, 4·UNITS] is orthogonal: BᵀB = I.
        const w = tf.tensor2d(data(model.weights[k]), [UNITS, 4 * UNITS]);
        for (let g = 0; g < 4; g++) {
          const block = w.slice([0, UNITS * g], [UNITS, UNITS]);
          const gram = tf.matMul(block, block, true, false);
          const error = tf.max(tf.abs(tf.sub(gram, tf.eye(UNITS)))).dataSync()[0];
          expect(error).toBeLessThan(1e-5);
          tf.dispose([block, gram]);
        }
        w.dispose();
      }
      for (const k of [2, 5]) expect([...data(model.weights[k])].every((v) => v === 0)).toBe(true);
      expect(data(model.weights[6])).toEqual(before[6]); // the Dense kernel
      const wrapped = savedLayers(model)[1].layer as {config: Json};
      expect(wrapped.config.kernel_initializer).toEqual({
        class_name: 'XavierUniformCustom',
        config: {seed: deriveSeed(1, 0)},
      });
      expect(wrapped.config.recurrent_initializer).toEqual({
        class_name: 'OrthogonalInitializer',
        config: {seed: deriveSeed(1, 1), gates: 4},
      });
      expect(wrapped.config.bias_initializer).toEqual({class_name: 'Zeros', config: {}});
      const dir = path.join(tmp, 'bilstm');
      await model.save(fileIO(dir));
      const fresh = await tf.loadLayersModel(fileIO(dir, {weights: false}));
      for (let k = 0; k < 6; k++) expect(data(fresh.weights[k])).toEqual(data(model.weights[k]));
      const inner = fresh.layers[1] as unknown as {
        forwardLayer: {cell: {recurrentInitializer: tf.serialization.Serializable}};
      };
      expect(inner.forwardLayer.cell.recurrentInitializer.getClassName()).toBe(
        'OrthogonalInitializer',
      );
      fresh.dispose();
      model.dispose();
    },
  );

  it(
    'with unitForgetBias, a bias rule keeps the forget-gate ' +
      'quarter at ones, as tfjs builds it and as a reload draws it',
    async () => {
      const model = biLstm({
        unitForgetBias: true,
        units: 64,
        recurrentInitializer: new OrthogonalInitializer(),
      });
      scramble(model);
      applyInitializers(model, [
        {
          layer: 'LSTM',
          weight: 'bias',
          initializer: {className: 'RandomNormal', config: {mean: 3, stddev: 0.5}},
        },
      ]);
      const check = (bias: Float32Array): void => {
        expect([...bias.slice(64, 128)].every((v) => v === 1)).toBe(true);
        const drawn = Float32Array.from([...bias.slice(0, 64), ...bias.slice(128)], (v) => v - 3);
        const {mean, variance, n} = moments(drawn);
        expect(Math.abs(mean)).toBeLessThan(meanTolerance(0.25, n));
        expect(Math.abs(variance - 0.25)).toBeLessThan(varianceTolerance(0.25, n, 3));
      };
      for (const k of [2, 5]) check(data(model.weights[k]));
      const dir = path.join(tmp, 'forget');
      await model.save(fileIO(dir));
      const fresh = await tf.loadLayersModel(fileIO(dir, {weights: false}));
      for (const k of [2, 5]) check(data(fresh.weights[k]));
      fresh.dispose();
      model.dispose();
    },
  );

  it('refuses rules that would give the two directions different initializers (one saved config)', () => {
    const model = biLstm({recurrentInitializer: new OrthogonalInitializer()});
    const json = JSON.stringify(model.toJSON(null, false));
    expect(() =>
      applyInitializers(model, [{layer: /^forward_/, weight: 'kernel', initializer: 'zeros'}]),
    ).toThrow(
      /rules\[0\] \(\/\^forward_\/\.kernel=zeros\) gives weights '.*forward_encoder\/kernel' and '.*backward_encoder\/kernel' of layer '.*' \(Bidirectional\) different initializers, but they share one saved option \(kernelInitializer\)/,
    );
    expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
    model.dispose();
  });
});

describe('applyInitializers: functional form, nested models, first match', () => {
  it(
    'calls the function once per weight with (layer, role, ' +
      'weight), in model order, and applies what it returns',
    () => {
      const model = biLstm({recurrentInitializer: new OrthogonalInitializer()});
      const calls: string[] = [];
      const report = applyInitializers(model, (layer, role, weight) => {
        calls.push(`${layer.getClassName()} ${role} ${weight.name}`);
        return layer.getClassName() === 'Dense' && role === 'kernel'
          ? new XavierUniformCustom({seed: 3})
          : undefined;
      });
      expect(calls).toEqual(
        model.weights.map((w) => {
          const role = {kernel: 'kernel', recurrent_kernel: 'recurrent', bias: 'bias'}[
            w.name.split('/').pop() as string
          ];
          return `${w.name.includes('encoder') ? 'LSTM' : 'Dense'} ${role} ${w.name}`;
        }),
      );
      expect(report).toHaveLength(1);
      expect(report[0].rule).toBeNull();
      const expected = new XavierUniformCustom({seed: 3}).apply([2 * UNITS, 3]);
      expect(data(model.weights[6])).toEqual(expected.dataSync());
      expected.dispose();
      model.dispose();
    },
  );

  it('reaches nested models (by their name too) and lets the first matching rule win', () => {
    const inner = tf.sequential({
      name: 'block',
      layers: [
        tf.layers.dense({units: 8, inputShape: [8], name: 'inner_dense'}),
        tf.layers.dense({units: 8, name: 'inner_out'}),
      ],
    });
    const input = tf.input({shape: [8]});
    const output = tf.layers
      .dense({units: 2, name: 'head'})
      .apply(inner.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: output});
    const report = applyInitializers(model, [
      {layer: 'inner_out', weight: 'kernel', initializer: 'ones'},
      {layer: 'block', initializer: 'zeros'},
      {layer: 'Dense', weight: 'kernel', initializer: {className: 'Constant', config: {value: 2}}},
    ]);
    expect(report.map((r) => [r.layer, r.role, r.newInitializer.className, r.rule])).toEqual([
      ['block/inner_dense', 'kernel', 'Zeros', 1],
      ['block/inner_dense', 'bias', 'Zeros', 1],
      ['block/inner_out', 'kernel', 'Ones', 0],
      ['block/inner_out', 'bias', 'Zeros', 1],
      ['head', 'kernel', 'Constant', 2],
    ]);
    expect([...data(model.getLayer('head').weights[0])].every((v) => v === 2)).toBe(true);
    const saved = (
      model.toJSON(null, false) as unknown as {
        config: {layers: Array<{config: Json & {layers?: Array<{config: Json}>}}>};
      }
    ).config.layers;
    expect(saved[1].config.layers?.[1].config.kernel_initializer).toEqual({
      class_name: 'Ones',
      config: {},
    });
    model.dispose();
  });
});

describe('applyInitializers: all or nothing', () => {
  let model: tf.LayersModel;
  let json: string;
  let before: Float32Array[];
  beforeAll(() => {
    const input = tf.input({shape: [6, 6, 2]});
    const conv = tf.layers
      .conv2d({filters: 4, kernelSize: 3, name: 'conv'})
      .apply(input) as tf.SymbolicTensor;
    const flat = tf.layers
      .flatten()
      .apply(
        tf.layers.batchNormalization({name: 'bn'}).apply(conv) as tf.SymbolicTensor,
      ) as tf.SymbolicTensor;
    model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({units: 3, name: 'out'}).apply(flat) as tf.SymbolicTensor,
    });
    scramble(model);
    json = JSON.stringify(model.toJSON(null, false));
    before = values(model);
  });
  afterAll(() => model.dispose());

  const good: InitializerRule[] = [
    {layer: 'Conv2D', weight: 'kernel', initializer: 'Dirac'},
    {weight: 'bias', initializer: 'ZeroBias'},
  ];
  // An initializer that passes every check before drawing and fails while drawing, after others have drawn.
  class Exploding extends (Object.getPrototypeOf(
    tf.initializers.zeros().constructor,
  ) as new () => tf.serialization.Serializable) {
    static className = 'ExplodingForApplyTest';
    apply(): tf.Tensor {
      throw new Error('boom');
    }
    getConfig(): tf.serialization.ConfigDict {
      return {};
    }
  }
  tf.serialization.registerClass(
    Exploding as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );

  const cases: Array<
    [string, InitializerRule[] | Parameters<typeof applyInitializers>[1], RegExp]
  > = [
    [
      'Dirac on a Dense kernel',
      [...good, {layer: 'Dense', weight: 'kernel', initializer: 'Dirac'}],
      /^applyInitializers: rules\[2\] \(Dense\.kernel=Dirac\) cannot initialize weight 'out\/kernel' \(role 'kernel', shape \[64, 3\]\) of layer 'out' \(Dense\): Dirac: needs a convolution kernel/,
    ],
    [
      'an unknown role',
      [...good, {layer: 'BatchNormalization', weight: 'moving_mean', initializer: 'zeros'}],
      /option `rules\[2\]\.weight` must be 'movingMean' \(the role of weights named 'moving_mean'\)/,
    ],
    [
      'a role the layer class does not have',
      [...good, {layer: 'Dense', weight: 'gamma', initializer: 'ones'}],
      /rules\[2\] \(Dense\.gamma=ones\): the layers it matches have no weight with role 'gamma' \(their roles: 'kernel', 'bias'\)/,
    ],
    [
      'an unknown initializer name',
      [...good, {layer: 'bn', weight: 'gamma', initializer: 'XavierUniform'}],
      /rules\[2\] \(bn\.gamma=XavierUniform\): unknown initializer 'XavierUniform'\. Did you mean one of: 'XavierUniformCustom' or 'xavierUniformCustom' \(tfjs-initializers\)/,
    ],
    [
      'a bad option of the initializer',
      [
        ...good,
        {
          layer: 'out',
          weight: 'kernel',
          initializer: {className: 'XavierUniformCustom', config: {gain: -1}},
        },
      ],
      /rules\[2\] \(out\.kernel=XavierUniformCustom\{"gain":-1\}\): XavierUniformCustom: option `gain` must be a finite number > 0\. Received: gain=-1/,
    ],
    [
      'a layer no rule can find',
      [...good, {layer: 'LSTM', initializer: 'zeros'}],
      /rules\[2\] \(LSTM=zeros\) matches no layer with weights in the model \(their classes: Conv2D, BatchNormalization, Dense\)/,
    ],
    [
      'a rule every match of which an earlier rule took',
      [...good, {layer: 'conv', weight: 'bias', initializer: 'ones'}],
      /rules\[2\] \(conv\.bias=ones\) never applies: every weight it matches is taken by an earlier rule \(rules\[1\]\); put the more specific rule first/,
    ],
    [
      'a failure while drawing',
      [...good, {layer: 'out', weight: 'kernel', initializer: new Exploding() as never}],
      /rules\[2\] \(out\.kernel=ExplodingForApplyTest\) cannot initialize weight 'out\/kernel'.*: boom/,
    ],
    [
      'a function choosing the impossible',
      (_layer, role) => (role === 'kernel' ? 'Dirac' : 'zeros'),
      /the function's result cannot initialize weight 'out\/kernel'/,
    ],
  ];

  it.each(cases)(
    '%s: an InitializerError naming rule, layer and weight, and the model exactly as before',
    (_name, rules, message) => {
      const tensors = tf.memory().numTensors;
      let error: unknown;
      try {
        applyInitializers(model, rules as InitializerRule[]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InitializerError);
      expect((error as Error).message).toMatch(message);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(values(model)).toEqual(before);
      expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
    },
  );

  it(
    'refuses a change that a saved model would not reload: tfjs ' +
      'SeparableConv2D reloads pointwise from depthwiseInitializer',
    () => {
      const model = tf.sequential({
        layers: [tf.layers.separableConv2d({filters: 4, kernelSize: 3, inputShape: [5, 5, 2]})],
      });
      const before = values(model);
      const json = JSON.stringify(model.toJSON(null, false));
      expect(() => applyInitializers(model, [{weight: 'pointwise', initializer: 'ones'}])).toThrow(
        /rules\[0\] \(\*\.pointwise=ones\): a model saved after this change would reload weight '.*pointwise_kernel' .* with VarianceScaling .* instead of Ones \{\}, because tfjs's SeparableConv2D does not restore its pointwiseInitializer from its config/,
      );
      expect(() => applyInitializers(model, [{weight: 'depthwise', initializer: 'ones'}])).toThrow(
        /rules\[0\] \(\*\.depthwise=ones\): a model saved after this change would reload weight '.*pointwise_kernel' .* with Ones \{\} instead of VarianceScaling/,
      );
      expect(values(model)).toEqual(before);
      expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
      applyInitializers(model, [
        {layer: 'SeparableConv2D', weight: 'depthwise', initializer: 'ones'},
        {weight: 'pointwise', initializer: 'ones'},
      ]);
      expect(model.weights.slice(0, 2).every((w) => [...data(w)].every((v) => v === 1))).toBe(true);
      model.dispose();
    },
  );

  it('applies the same rules once the impossible one is gone', () => {
    applyInitializers(model, good);
    expect(JSON.stringify(model.toJSON(null, false))).not.toBe(json);
    const kernel = data(model.getLayer('conv').weights[0]);
    // Dirac [3, 3, 2, 4]: tap (1, 1), in c → out c for c < 2; zeros elsewhere.
    expect(kernel.reduce((s, v) => s + v, 0)).toBe(2);
  });
});

describe('applyInitializers: messages', () => {
  it("name weights as the saved file does (originalName), not by tfjs's process-unique name", () => {
    const make = (): tf.LayersModel =>
      tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3], name: 'd1'})]});
    const [first, second] = [make(), make()];
    expect(second.weights[1].name).toMatch(/^d1\/bias_\d+$/); // tfjs made it unique in the process
    expect(second.weights[1].originalName).toBe('d1/bias'); // what model.save() writes
    expect(() =>
      applyInitializers(second, [{layer: 'd1', weight: 'bias', initializer: 'Dirac'}]),
    ).toThrow(
      "rules[0] (d1.bias=Dirac) cannot initialize weight 'd1/bias' (role 'bias', shape [2]) of layer 'd1' (Dense)",
    );
    expect(() => applyInitializers(second, () => 42 as never)).toThrow(
      "the function's result for weight 'd1/kernel' (role 'kernel') must be",
    );
    tf.dispose([first, second] as never);
  });
});

describe('applyInitializers: arguments', () => {
  it('refuses a non-model, bad options, a non-rule and an empty rule list', () => {
    const model = mlp();
    expect(() => applyInitializers('model' as never, [])).toThrow(
      'applyInitializers: option `model` must be a tf.LayersModel',
    );
    expect(() => applyInitializers(model, [{initializer: 'zeros'}], {seed: -1})).toThrow(
      'option `seed` must be an integer in [0, 9007199254740991]',
    );
    expect(() => applyInitializers(model, [{initializer: 'zeros'}], {sed: 1} as never)).toThrow(
      'unknown option `sed`. Allowed options: `seed`',
    );
    expect(() => applyInitializers(model, [])).toThrow(
      'option `rules` must be a non-empty array of rules, or a function. Received: rules=[]',
    );
    expect(() => applyInitializers(model, {} as never)).toThrow(
      'option `rules` must be a non-empty array of rules, or a function',
    );
    expect(() => applyInitializers(model, ['Dense.kernel=zeros'] as never)).toThrow(
      'option `rules[0]` must be an object {layer?, weight?, initializer}',
    );
    expect(() =>
      applyInitializers(model, [{lyer: 'Dense', initializer: 'zeros'}] as never),
    ).toThrow('rules[0]: unknown option `lyer`. Allowed options: `layer`, `weight`, `initializer`');
    expect(() => applyInitializers(model, [{layer: 3, initializer: 'zeros'}] as never)).toThrow(
      'option `rules[0].layer` must be a layer class name or layer ' +
        'name (a string), or a RegExp. Received: rules[0].layer=3',
    );
    expect(() => applyInitializers(model, [{layer: 'Dense'}] as never)).toThrow(
      'option `rules[0].initializer` must be an initializer instance',
    );
    expect(() => applyInitializers(model, () => 42 as never)).toThrow(
      "the function's result for weight",
    );
    model.dispose();
  });
});
