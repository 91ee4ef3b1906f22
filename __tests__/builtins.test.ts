import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {BaseInitializer, restoreBuiltins, useFixedBuiltins} from '../src';
import {TRUNCATED_STD_RATIO} from '../src/initializers/variance-scaling';
import {KURTOSIS, moments, varianceTolerance} from './helpers/stats';

/**
 * A model saved with tfjs's own initializers, then loaded topology-only (so the saved initializers
 * run again) with and without useFixedBuiltins().
 */
const IN = 400;
const OUT = 600;

function builtinModel(): tfl.LayersModel {
  const I = tfl.initializers;
  const input = tfl.input({shape: [IN]});
  const dense = (
    name: string,
    kernelInitializer: Parameters<typeof tfl.layers.dense>[0]['kernelInitializer'],
  ) =>
    tfl.layers
      .dense({name, units: OUT, useBias: false, kernelInitializer})
      .apply(input) as tfl.SymbolicTensor;
  return tfl.model({
    inputs: input,
    outputs: [
      dense(
        'vsNormal',
        I.varianceScaling({scale: 2, mode: 'fanIn', distribution: 'normal', seed: 0}),
      ),
      dense('heNormal', 'heNormal'),
      dense(
        'vsTruncated',
        I.varianceScaling({scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: 1}),
      ),
      dense('uniformFromZero', I.randomUniform({minval: 0, maxval: 1, seed: 2})),
      dense('normalSeed0', I.randomNormal({mean: 0, stddev: 0.5, seed: 0})),
    ],
  });
}

/** Topology of a model saved with tfjs's own initializer classes (built before any fix). */
let savedTopology: object;
beforeAll(() => {
  const layers = builtinModel();
  savedTopology = JSON.parse(JSON.stringify(layers.toJSON(null, false)));
  layers.dispose();
  // tfjs bakes its `minval || -0.05` bug into the file it saves; Keras (and a hand-edited file)
  // write the 0 the user meant, which is what a fixed loader must honour.
  const uniform = (
    savedTopology as {
      config: {
        layers: Array<{name: string; config: {kernel_initializer: {config: {minval: number}}}}>;
      };
    }
  ).config.layers.find((l) => l.name === 'uniformFromZero');
  expect(uniform?.config.kernel_initializer.config.minval).toBe(-0.05);
  (
    uniform as {config: {kernel_initializer: {config: {minval: number}}}}
  ).config.kernel_initializer.config.minval = 0;
});

afterEach(() => {
  restoreBuiltins();
});

async function load(): Promise<tfl.LayersModel> {
  return tfl.models.modelFromJSON({
    modelTopology: JSON.parse(JSON.stringify(savedTopology)),
  } as never);
}

/** The kernel initializer configs of the Dense layers of a saved topology. */
const inits = (t: object): unknown[] =>
  (t as {config: {layers: Array<{config: {kernel_initializer?: unknown}}>}}).config.layers
    .map((l) => l.config.kernel_initializer)
    .filter((k) => k !== undefined);
const maxAbs = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const minOf = (v: Float32Array): number => v.reduce((m, x) => Math.min(m, x), Infinity);
const kernel = (m: tfl.LayersModel, name: string): Float32Array =>
  m.getLayer(name).getWeights()[0].dataSync() as Float32Array;
const initializerOf = (m: tfl.LayersModel, name: string): unknown =>
  (m.getLayer(name) as unknown as {kernelInitializer: unknown}).kernelInitializer;

describe('useFixedBuiltins', () => {
  it('the saved model names only tfjs built-ins (VarianceScaling, RandomUniform, RandomNormal)', () => {
    const names = inits(savedTopology).map((i) => (i as {class_name: string}).class_name);
    expect(names).toEqual([
      'VarianceScaling',
      'VarianceScaling',
      'VarianceScaling',
      'RandomUniform',
      'RandomNormal',
    ]);
  });

  it(
    'without it, the bugs are there: normal variance 0.77×, ' +
      'truncatedNormal uniform, minval 0 → −0.05, seed 0 unseeded',
    async () => {
      const m = await load();
      const vs = moments(kernel(m, 'vsNormal'));
      expect(vs.variance / (2 / IN)).toBeCloseTo(TRUNCATED_STD_RATIO ** 2, 1);
      const tr = kernel(m, 'vsTruncated');
      expect(maxAbs(tr)).toBeLessThanOrEqual(Math.fround(Math.sqrt(3 / IN)) + 1e-7); // uniform's bound
      expect(minOf(kernel(m, 'uniformFromZero'))).toBeLessThan(0);
      const again = await load();
      expect(kernel(again, 'normalSeed0')).not.toEqual(kernel(m, 'normalSeed0'));
      tf.dispose([m, again] as never);
    },
  );

  it('with it, the same saved model loads with correct draws and its config format unchanged', async () => {
    expect(useFixedBuiltins()).toEqual([
      'VarianceScaling',
      'GlorotUniform',
      'GlorotNormal',
      'HeUniform',
      'HeNormal',
      'LeCunUniform',
      'LeCunNormal',
      'Orthogonal',
      'Identity',
      'RandomUniform',
      'RandomNormal',
      'TruncatedNormal',
    ]);
    const m = await load();
    for (const name of ['vsNormal', 'heNormal']) {
      const v = kernel(m, name);
      const kurt = TRUNCATED_KURTOSIS;
      expect(Math.abs(moments(v).variance - 2 / IN)).toBeLessThan(
        varianceTolerance(2 / IN, v.length, kurt),
      );
      expect(maxAbs(v)).toBeLessThanOrEqual(
        Math.fround((2 * Math.sqrt(2 / IN)) / TRUNCATED_STD_RATIO),
      );
      expect(initializerOf(m, name)).toBeInstanceOf(BaseInitializer);
    }
    const tr = kernel(m, 'vsTruncated');
    expect(Math.abs(moments(tr).variance - 1 / IN)).toBeLessThan(
      varianceTolerance(1 / IN, tr.length, TRUNCATED_KURTOSIS),
    );
    expect(maxAbs(tr)).toBeGreaterThan(Math.sqrt(3 / IN)); // not uniform any more
    const u = kernel(m, 'uniformFromZero');
    expect(minOf(u)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(moments(u).mean - 0.5)).toBeLessThan(0.01);
    const again = await load();
    expect(kernel(again, 'normalSeed0')).toEqual(kernel(m, 'normalSeed0'));
    expect(Math.abs(moments(kernel(m, 'normalSeed0')).variance - 0.25)).toBeLessThan(
      varianceTolerance(0.25, IN * OUT, 3),
    );
    // Saving again writes the same initializer configs tfjs wrote.
    const resaved = JSON.parse(JSON.stringify(m.toJSON(null, false)));
    expect(inits(resaved)).toEqual(inits(savedTopology));
    tf.dispose([m, again] as never);
  });

  it(
    'reaches the string names that go through the registry: ' +
      "LSTM's default orthogonal, identity, randomUniform",
    () => {
      const before = tfl.layers.lstm({units: 8});
      expect(
        (before as unknown as {cell: {recurrentInitializer: unknown}}).cell.recurrentInitializer,
      ).not.toBeInstanceOf(BaseInitializer); // tfjs's Orthogonal
      useFixedBuiltins();
      const lstm = tfl.sequential({layers: [tfl.layers.lstm({units: 8, inputShape: [3, 4]})]});
      const rec = lstm.layers[0].getWeights()[1].dataSync();
      // [8, 32]: orthonormal rows.
      for (let a = 0; a < 8; a++) {
        let s = 0;
        for (let j = 0; j < 32; j++) s += rec[a * 32 + j] ** 2;
        expect(s).toBeCloseTo(1, 5);
      }
      const eye = tfl.sequential({
        layers: [tfl.layers.dense({units: 3, inputShape: [5], kernelInitializer: 'identity'})],
      });
      expect(Array.from(eye.layers[0].getWeights()[0].dataSync())).toEqual([
        1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
      ]);
      const vs = tfl.layers.dense({
        units: 3,
        inputShape: [5],
        kernelInitializer: 'varianceScaling',
      });
      expect((vs as unknown as {kernelInitializer: unknown}).kernelInitializer).toBeInstanceOf(
        BaseInitializer,
      );
      // A Keras 3 file names GlorotNormal as its own class: reached through the registry too.
      const keras = tfl.layers.dense({
        units: 3,
        kernelInitializer: {className: 'GlorotNormal', config: {seed: 3}} as never,
      });
      expect(
        (
          keras as unknown as {kernelInitializer: BaseInitializer<object>}
        ).kernelInitializer.getConfig(),
      ).toEqual({scale: 1, mode: 'fanAvg', distribution: 'normal', seed: 3});
      tf.dispose([lstm, eye] as never);
    },
  );

  it("cannot reach the helper strings tfjs constructs itself (documented): 'heNormal' stays tfjs's", () => {
    useFixedBuiltins();
    const layer = tfl.layers.dense({units: 3, inputShape: [5], kernelInitializer: 'heNormal'});
    expect((layer as unknown as {kernelInitializer: unknown}).kernelInitializer).not.toBeInstanceOf(
      BaseInitializer,
    );
    expect(tfl.initializers.randomUniform({minval: 0})).not.toBeInstanceOf(BaseInitializer);
  });

  it("is idempotent, and restoreBuiltins puts tfjs's classes back", () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const original = Object.fromEntries(
      ['VarianceScaling', 'Orthogonal', 'HeNormal', 'TruncatedNormal'].map((n) => [n, map[n]]),
    );
    useFixedBuiltins();
    useFixedBuiltins();
    expect(map.VarianceScaling).not.toBe(original.VarianceScaling);
    expect(restoreBuiltins()).toHaveLength(12);
    for (const [name, entry] of Object.entries(original)) expect(map[name]).toBe(entry);
    expect(restoreBuiltins()).toEqual([]);
  });

  it('the fixed classes keep their options strict and explicit', () => {
    useFixedBuiltins();
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const Uniform = map.RandomUniform[0] as unknown as new (a: object) => BaseInitializer<object>;
    expect(() => new Uniform({minval: 1, maxval: 0})).toThrow(
      /RandomUniform: option `minval` must not exceed `maxval`/,
    );
    const Identity = map.Identity[0] as unknown as new (a: object) => BaseInitializer<object>;
    expect(new Identity({gain: 2}).getConfig()).toEqual({gain: 2});
    const VS = map.VarianceScaling[0] as unknown as new (a: object) => BaseInitializer<object>;
    expect(() => new VS({mode: 'fanSum'})).toThrow(/VarianceScaling: option `mode` must be one of/);
    for (const name of useFixedBuiltins()) {
      const Cls = map[name][0] as unknown as new (a: object) => BaseInitializer<object>;
      const before = tf.memory().numTensors;
      const t = new Cls({}).apply([8, 8]);
      expect(tf.memory().numTensors).toBe(before + 1);
      t.dispose();
    }
    const bias = new VS({}).apply([50]);
    expect(bias.shape).toEqual([50]); // tfjs's fans for rank 1 (√n) still work
    bias.dispose();
  });
});

const TRUNCATED_KURTOSIS = KURTOSIS.truncatedNormal;
