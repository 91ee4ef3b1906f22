/**
 * setSeed covers tfjs's own initializers: the defaults tfjs builds itself (glorotUniform kernels,
 * LSTM's orthogonal recurrent kernel, Embedding's randomUniform) and tf.initializers.*() instances
 * draw tfjs's distributions from the seeded stream; without a seed tfjs is untouched. Runs in the
 * cpu and the wasm jest projects.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  clearSeed,
  deriveSeed,
  fillNormal,
  fillUniform,
  getDrawCount,
  restoreBuiltins,
  setSeed,
  useFixedBuiltins,
  withSeed,
} from '../../../src';
import {builtinsSeeded} from '../../../src/initializers/builtins/seeded-builtins';
import {TRUNCATED_STD_RATIO} from '../../../src/initializers/variance-scaling';
import {moments, take, varianceTolerance} from '../../helpers/stats';

/** A model of tfjs defaults only: no initializer is named anywhere. */
function defaultsModel(withLstm = true): tfl.Sequential {
  const layers: tfl.layers.Layer[] = [
    tfl.layers.embedding({inputDim: 30, outputDim: 12, inputLength: 6}),
    tfl.layers.reshape({targetShape: [6, 12, 1]}),
    tfl.layers.conv2d({filters: 4, kernelSize: 3}),
    tfl.layers.reshape({targetShape: [4, 40]}),
  ];
  if (withLstm)
    layers.push(
      tfl.layers.lstm({units: 8, returnSequences: true}),
      tfl.layers.gru({units: 5, returnSequences: true}),
    );
  layers.push(tfl.layers.flatten(), tfl.layers.dense({units: 7}));
  return tfl.sequential({layers});
}

/** The model's weights as one list of value arrays (bits compared with toEqual on Float32Arrays). */
function weightsOf(model: tfl.LayersModel): Float32Array[] {
  const values = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  model.dispose();
  return values;
}

const bits = (v: Float32Array): Uint32Array => new Uint32Array(v.buffer, v.byteOffset, v.length);
const maxOf = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, x), -Infinity);
const minOf = (v: Float32Array): number => v.reduce((m, x) => Math.min(m, x), Infinity);
const maxAbs = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

afterEach(() => {
  clearSeed();
  restoreBuiltins();
});

describe("setSeed and tfjs's own initializers", () => {
  it(
    'a model of tfjs defaults (Embedding, Conv2D, LSTM, GRU, ' +
      'Dense) built twice after setSeed is bit-identical',
    () => {
      setSeed(2024);
      const a = weightsOf(defaultsModel());
      // Random kernels: embeddings, conv, LSTM kernel + recurrent (orthogonal), GRU kernel + recurrent, dense.
      expect(getDrawCount()).toBe(7);
      setSeed(2024);
      const b = weightsOf(defaultsModel());
      expect(a.length).toBe(b.length);
      a.forEach((w, i) => expect(bits(w)).toEqual(bits(b[i])));
      setSeed(2025);
      const c = weightsOf(defaultsModel());
      expect(bits(c[0])).not.toEqual(bits(a[0]));
    },
  );

  it('without setSeed (or after clearSeed) tfjs draws from Math.random exactly as before: two builds differ', () => {
    expect(builtinsSeeded()).toBe(false);
    const applyBefore = tfl.initializers.glorotUniform({}).apply;
    const a = weightsOf(defaultsModel(false));
    const b = weightsOf(defaultsModel(false));
    expect(bits(a[0])).not.toEqual(bits(b[0]));
    setSeed(1);
    expect(builtinsSeeded()).toBe(true);
    expect(tfl.initializers.glorotUniform({}).apply).not.toBe(applyBefore);
    clearSeed();
    expect(builtinsSeeded()).toBe(false);
    expect(tfl.initializers.glorotUniform({}).apply).toBe(applyBefore); // the original apply is back
    // Unseeded again: the LSTM's recurrent kernel (tfjs's Orthogonal, which here runs through the
    // package's fallback) draws afresh on each build, like every other default.
    // Weights: embeddings, conv kernel and bias, then the LSTM's kernel and recurrent kernel (index 4).
    const [x, y] = [weightsOf(defaultsModel())[4], weightsOf(defaultsModel())[4]];
    expect(x.length).toBe(8 * 32);
    expect(bits(x)).not.toEqual(bits(y));
  });

  it(
    "the k-th built-in draw is the stream's k-th seed: tfjs " +
      'glorotUniform = U(±√(6/(in+out))) from deriveSeed(n, k)',
    () => {
      setSeed(77);
      tfl.initializers.randomNormal({}).apply([3]).dispose(); // draw 0
      const w = take(tfl.initializers.glorotUniform({}).apply([40, 60])); // draw 1
      const limit = Math.sqrt(6 / (40 + 60));
      const expected = new Float32Array(40 * 60);
      fillUniform(expected, deriveSeed(77, 1), 0, -limit, limit);
      expect(bits(w)).toEqual(bits(expected));
      const n = take(tfl.initializers.randomNormal({mean: 1, stddev: 2}).apply([500])); // draw 2
      const expectedNormal = new Float32Array(500);
      fillNormal(expectedNormal, deriveSeed(77, 2), 0, 1, 2);
      expect(bits(n)).toEqual(bits(expectedNormal));
      expect(getDrawCount()).toBe(3);
    },
  );

  it("keeps tfjs's distribution for each built-in (bounds and variances within sampling error)", () => {
    setSeed(5);
    const [fanIn, fanOut] = [300, 500];
    const n = fanIn * fanOut;
    // glorotUniform: U(−L, L), L = √(6/(in+out)), variance L²/3.
    const gu = take(tfl.initializers.glorotUniform({}).apply([fanIn, fanOut]));
    const L = Math.sqrt(6 / (fanIn + fanOut));
    expect(maxOf(gu)).toBeLessThan(L);
    expect(minOf(gu)).toBeGreaterThanOrEqual(-Math.fround(L));
    expect(Math.abs(moments(gu).variance - (L * L) / 3)).toBeLessThan(
      varianceTolerance((L * L) / 3, n, 9 / 5),
    );
    // heNormal: tfjs's truncated normal at ±2σ, σ² = 2/fanIn, WITHOUT the 0.8796 correction (variance 0.774σ²).
    const hn = take(tfl.initializers.heNormal({}).apply([fanIn, fanOut]));
    const sigma = Math.sqrt(2 / fanIn);
    expect(maxAbs(hn)).toBeLessThanOrEqual(Math.fround(2 * sigma));
    const tfjsVariance = TRUNCATED_STD_RATIO ** 2 * sigma * sigma;
    expect(Math.abs(moments(hn).variance - tfjsVariance)).toBeLessThan(
      varianceTolerance(tfjsVariance, n, TRUNCATED_KURTOSIS),
    );
    // varianceScaling 'truncatedNormal' is a uniform in tfjs, and stays one.
    const vt = take(
      tfl.initializers
        .varianceScaling({scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'})
        .apply([fanIn, fanOut]),
    );
    expect(maxAbs(vt)).toBeLessThanOrEqual(Math.fround(Math.sqrt(3 / fanIn)));
    // Embedding's default randomUniform: U[−0.05, 0.05).
    const ru = take(tfl.initializers.randomUniform({}).apply([n]));
    expect(minOf(ru)).toBeGreaterThanOrEqual(-0.05);
    expect(maxOf(ru)).toBeLessThan(0.05);
    expect(Math.abs(moments(ru).variance - 0.01 / 12)).toBeLessThan(
      varianceTolerance(0.01 / 12, n, 9 / 5),
    );
    // truncatedNormal: N(mean, std²) cut at mean ± 2·std.
    const tn = take(tfl.initializers.truncatedNormal({mean: 1, stddev: 0.5}).apply([n]));
    expect(minOf(tn)).toBeGreaterThanOrEqual(0);
    expect(maxOf(tn)).toBeLessThanOrEqual(2);
    const tnVariance = TRUNCATED_STD_RATIO ** 2 * 0.25;
    expect(Math.abs(moments(tn).variance - tnVariance)).toBeLessThan(
      varianceTolerance(tnVariance, n, TRUNCATED_KURTOSIS),
    );
    // orthogonal (LSTM/GRU recurrent default): orthonormal rows of a wide matrix, times gain.
    const o = take(tfl.initializers.orthogonal({gain: 2}).apply([16, 64]));
    for (let a = 0; a < 16; a++)
      for (let b = a; b < 16; b++) {
        let s = 0;
        for (let j = 0; j < 64; j++) s += o[a * 64 + j] * o[b * 64 + j];
        expect(Math.abs(s - (a === b ? 4 : 0))).toBeLessThan(1e-5 * 4);
      }
  });

  it('under useFixedBuiltins the helpers tfjs builds itself draw the corrected distribution', () => {
    useFixedBuiltins();
    setSeed(6);
    const [fanIn, fanOut] = [300, 500];
    const hn = take(tfl.initializers.heNormal({}).apply([fanIn, fanOut]));
    const target = 2 / fanIn;
    expect(Math.abs(moments(hn).variance - target)).toBeLessThan(
      varianceTolerance(target, fanIn * fanOut, TRUNCATED_KURTOSIS),
    );
    const layer = tfl.layers.dense({
      units: fanOut,
      inputShape: [fanIn],
      kernelInitializer: 'glorotNormal',
    });
    const model = tfl.sequential({layers: [layer]});
    const gn = model.getWeights()[0].dataSync() as Float32Array;
    const glorot = 2 / (fanIn + fanOut);
    expect(Math.abs(moments(gn).variance - glorot)).toBeLessThan(
      varianceTolerance(glorot, gn.length, TRUNCATED_KURTOSIS),
    );
    model.dispose();
  });

  it(
    "an instance with its own working seed keeps tfjs's draw; " +
      'seed 0 of a normal draw (unseeded in tfjs) takes the stream',
    () => {
      const before = take(tfl.initializers.glorotUniform({seed: 5}).apply([6, 7]));
      setSeed(3);
      expect(bits(take(tfl.initializers.glorotUniform({seed: 5}).apply([6, 7])))).toEqual(
        bits(before),
      );
      expect(getDrawCount()).toBe(0);
      const a = take(tfl.initializers.randomNormal({seed: 0}).apply([50]));
      expect(getDrawCount()).toBe(1);
      setSeed(3);
      expect(bits(take(tfl.initializers.randomNormal({seed: 0}).apply([50])))).toEqual(bits(a));
    },
  );

  it("withSeed seeds tfjs's built-ins inside the build only", () => {
    const one = withSeed(8, () => weightsOf(defaultsModel()));
    expect(builtinsSeeded()).toBe(false);
    const two = withSeed(8, () => weightsOf(defaultsModel()));
    one.forEach((w, i) => expect(bits(w)).toEqual(bits(two[i])));
    setSeed(1);
    withSeed(8, () => weightsOf(defaultsModel()));
    expect(builtinsSeeded()).toBe(true); // back to the outer setSeed
  });

  it('int32 draws are rounded as tfjs rounds them; every apply leaves only its result behind', () => {
    setSeed(4);
    const t = tfl.initializers.randomUniform({minval: -3, maxval: 3}).apply([1000], 'int32');
    expect(t.dtype).toBe('int32');
    const v = t.dataSync();
    t.dispose();
    expect(v.every((x) => Number.isInteger(x) && x >= -3 && x <= 3)).toBe(true);
    expect(new Set(v).size).toBe(7);
    useFixedBuiltins();
    for (const init of [
      tfl.initializers.heNormal({}),
      tfl.initializers.orthogonal({}),
      tfl.initializers.truncatedNormal({}),
      tfl.initializers.randomNormal({}),
    ]) {
      for (const dtype of [undefined, 'int32'] as const) {
        const before = tf.memory().numTensors;
        const r = init.apply([8, 8], dtype);
        expect(tf.memory().numTensors).toBe(before + 1);
        r.dispose();
      }
    }
  });
});

/** Kurtosis of N(0, 1) truncated to [−2, 2]: E[Z⁴]/E[Z²]², E[Z⁴] = 3 − 28φ(2)/P. */
const PHI2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const P = 0.9544997361036416;
const TRUNCATED_KURTOSIS = (3 - (28 * PHI2) / P) / (1 - (4 * PHI2) / P) ** 2;
