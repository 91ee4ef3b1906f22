/**
 * Every prediction of src/initializers/builtins/tfjs-builtins.ts against tfjs's own draws: for every
 * class tfjs registers, several configs (its defaults, its `||` traps, each VarianceScaling mode and
 * distribution) and a kernel of each rank 1 to 6, tfjs-layers itself builds the initializer from
 * the config and draws; the module must predict whether tfjs refuses the shape, and otherwise the
 * interval every value lies in, the mean, the variance and the distribution (Kolmogorov–Smirnov
 * against the exact CDF), or the exact matrix (Identity, and Orthogonal's orthonormal rows or
 * columns). Seeded (tfjs's own seeds), ~38,400 values per draw: at z = 5 a 5% variance error is
 * outside every tolerance. The full `@tensorflow/tfjs` is loaded so that tfjs's Orthogonal runs;
 * nothing of this package patches tfjs here (only the module under test is imported).
 */
import * as tf from '@tensorflow/tfjs';
import {
  TFJS_BUILTIN_NAMES,
  drawMoments,
  tfjsDraw,
  tfjsFields,
  tfjsProblem,
  type TfjsDraw,
} from '../../../src/initializers/builtins/tfjs-builtins';
import {KURTOSIS, meanTolerance, moments, varianceTolerance} from '../../helpers/stats';
import {ksCritical, ksDistance} from '../../helpers/ks';
import {mass, truncatedCdf} from '../../helpers/normal-cdf';

tf.env().set('IS_TEST', true);

/** Kernels of rank 1 to 6, 38,400 values each (40,000 for rank 1). */
const SHAPES = [
  [40000],
  [160, 240],
  [10, 64, 60],
  [3, 5, 40, 64],
  [2, 3, 4, 40, 40],
  [2, 2, 3, 4, 20, 40],
];
/** Smaller ones for tfjs's Orthogonal (a QR per draw) and a square one for Identity. */
const ORTHOGONAL_SHAPES = [
  [12],
  [24, 40],
  [4, 10, 30],
  [2, 3, 8, 20],
  [2, 2, 3, 4, 16],
  [2, 2, 2, 3, 4, 12],
];
const IDENTITY_SHAPES = [
  [50],
  [50, 50],
  [60, 40],
  [5, 10, 10],
  [2, 2, 5, 5],
  [1, 1, 1, 4, 4],
  [1, 1, 1, 1, 4, 4],
];

interface Case {
  name: string;
  config: Record<string, unknown>;
}

let seed = 1000;
const seeded = (config: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...config,
  seed: ++seed,
});

const CASES: Case[] = [
  {name: 'Zeros', config: {}},
  {name: 'Ones', config: {}},
  {name: 'Constant', config: {value: 0.7}},
  {name: 'RandomUniform', config: seeded()},
  {name: 'RandomUniform', config: seeded({minval: 0, maxval: 1})}, // minval 0 || −0.05
  {name: 'RandomUniform', config: seeded({minval: -2, maxval: 3})},
  {name: 'RandomNormal', config: seeded()},
  {name: 'RandomNormal', config: seeded({mean: 1, stddev: 0})}, // stddev 0 || 0.05
  {name: 'RandomNormal', config: seeded({mean: -1, stddev: 2})},
  {name: 'TruncatedNormal', config: seeded()},
  {name: 'TruncatedNormal', config: seeded({mean: 2, stddev: 0.5})},
  {name: 'VarianceScaling', config: seeded()},
  ...['fanIn', 'fanOut', 'fanAvg'].flatMap((mode) =>
    ['normal', 'uniform', 'truncatedNormal'].map((distribution) => ({
      name: 'VarianceScaling',
      config: seeded({scale: 2, mode, distribution}),
    })),
  ),
  ...['GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LeCunUniform', 'LeCunNormal'].map(
    (name) => ({name, config: seeded()}),
  ),
  {name: 'Orthogonal', config: seeded()},
  {name: 'Orthogonal', config: seeded({gain: 1.5})},
  {name: 'Identity', config: {gain: 2}},
];

const shapesFor = (name: string): number[][] =>
  name === 'Orthogonal' ? ORTHOGONAL_SHAPES : name === 'Identity' ? IDENTITY_SHAPES : SHAPES;

/** tfjs's own class for `name`, built from `config` as a saved model's loader builds it. */
function tfjsInitializer(
  name: string,
  config: Record<string, unknown>,
): tf.serialization.Serializable & {
  apply(shape: number[]): tf.Tensor;
} {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  return entry[1](entry[0], config as tf.serialization.ConfigDict) as never;
}

/** The exact CDF of a random draw. */
function cdfOf(draw: TfjsDraw): (x: number) => number {
  switch (draw.kind) {
    case 'uniform':
      return (x) => Math.min(1, Math.max(0, (x - draw.low) / (draw.high - draw.low)));
    case 'normal':
      return (x) => mass(-Infinity, (x - draw.mean) / draw.std);
    case 'truncatedNormal':
      return truncatedCdf(draw.mean, draw.std, draw.mean - 2 * draw.std, draw.mean + 2 * draw.std);
    default:
      throw new Error(`no CDF for ${draw.kind}`);
  }
}

const KURTOSIS_OF = {
  uniform: KURTOSIS.uniform,
  normal: 3,
  truncatedNormal: KURTOSIS.truncatedNormal,
};

/** Gram matrix of the rows (wide) or columns (tall) of the [rows, cols] flattening: gain²·I expected. */
function gramError(values: Float32Array, shape: number[], gain: number): number {
  const cols = shape[shape.length - 1];
  const rows = values.length / cols;
  const [n, len, at] =
    rows <= cols
      ? [rows, cols, (v: number, k: number) => values[v * cols + k]]
      : [cols, rows, (v: number, k: number) => values[k * cols + v]];
  let worst = 0;
  for (let a = 0; a < n; a++)
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(a, k) * at(b, k);
      worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  return worst;
}

describe("tfjs-builtins.ts predicts tfjs's own draws (ranks 1-6)", () => {
  it('covers every class tfjs registers', () => {
    expect([...new Set(CASES.map((c) => c.name))].sort()).toEqual([...TFJS_BUILTIN_NAMES].sort());
    for (const name of TFJS_BUILTIN_NAMES)
      expect(tf.serialization.SerializationMap.getMap().classNameMap[name]).toBeDefined();
  });

  const rows = CASES.flatMap((c) =>
    shapesFor(c.name).map((shape): [string, Case, number[]] => [
      `${c.name}(${JSON.stringify(c.config)}) on [${shape.join(', ')}]`,
      c,
      shape,
    ]),
  );

  it.each(rows)('%s', (_label, {name, config}, shape) => {
    const fields = tfjsFields(name, config);
    expect(fields).not.toBeNull();
    const problem = tfjsProblem(name, fields!, shape, 'float32');
    const init = tfjsInitializer(name, config);
    if (problem !== null) {
      expect(() => tf.dispose(init.apply(shape))).toThrow();
      return;
    }
    const t = init.apply(shape);
    expect(t.shape).toEqual(shape);
    const values = t.dataSync() as Float32Array;
    t.dispose();
    const draw = tfjsDraw(name, fields!, shape) as TfjsDraw;
    const m = drawMoments(draw, shape);
    let [lo, hi] = [Infinity, -Infinity];
    for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(lo).toBeGreaterThanOrEqual(Math.fround(m.low));
    expect(hi).toBeLessThanOrEqual(Math.fround(m.high));
    const n = values.length;
    const sample = moments(values);
    switch (draw.kind) {
      case 'constant':
        expect(values.every((v) => v === Math.fround(draw.value))).toBe(true);
        return;
      case 'identity': {
        const size = shape[0];
        values.forEach((v, i) => expect(v).toBe(i % (size + 1) === 0 ? Math.fround(draw.gain) : 0));
        expect(sample.variance + sample.mean ** 2).toBeCloseTo(m.meanSquare, 6);
        return;
      }
      case 'orthogonal': {
        // Exactly: min(rows, cols) orthonormal vectors scaled by gain, so E[W²] = gain²/max(rows, cols).
        expect(gramError(values, shape, draw.gain)).toBeLessThan(1e-4 * draw.gain ** 2);
        expect(Math.abs(sample.variance + sample.mean ** 2 - m.meanSquare)).toBeLessThan(
          1e-5 * m.meanSquare,
        );
        return;
      }
      default: {
        expect(Math.abs(sample.mean - m.mean)).toBeLessThan(meanTolerance(m.variance, n));
        expect(Math.abs(sample.variance - m.variance)).toBeLessThan(
          varianceTolerance(m.variance, n, KURTOSIS_OF[draw.kind]),
        );
        const ks = ksDistance(values, cdfOf(draw));
        expect(ks.dMax).toBeLessThan(ksCritical(n));
      }
    }
  });

  it("VarianceScaling's rank-6 prediction is tfjs's √size fans, not [...k, in, out]", () => {
    // [2, 2, 3, 4, 20, 40]: tfjs takes fanIn = fanOut = √38400 = 196; the [...k, in, out] reading
    // (48·20 = 960 in) would predict a variance 4.9× too small.
    const shape = SHAPES[5];
    const fields = tfjsFields('VarianceScaling', {
      scale: 1,
      mode: 'fanIn',
      distribution: 'uniform',
    });
    const m = drawMoments(tfjsDraw('VarianceScaling', fields!, shape) as TfjsDraw, shape);
    expect(m.variance).toBeCloseTo(1 / Math.sqrt(38400), 12);
  });
});
