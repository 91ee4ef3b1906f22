import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  BaseInitializer,
  DeltaOrthogonal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
  Normal,
  OrthogonalInitializer,
  STFT,
  TruncNormal,
  Uniform,
  VarianceScalingInitializer,
  XavierUniformCustom,
  ZeroBias,
  restoreBuiltins,
  useFixedBuiltins,
} from '../src';
import {fileIO} from '../src/node';
import {TFJS_BUILTIN_NAMES} from '../src/initializers/registry';
import {KURTOSIS, meanTolerance, moments, take, varianceTolerance} from './helpers/stats';

/**
 * Every Keras 3 initializer name, as Keras 3.15 saves it (`{"module": "keras.initializers",
 * "class_name", "config", "registered_name": null}`, __tests__/fixtures/keras3-initializers.json),
 * loaded by tfjs in a one-layer Keras 3 model.json, topology only (so the initializer runs), and
 * checked against Keras 3's meaning: exact values (constants, identity, STFT) or the distribution's
 * mean, variance, kurtosis and bounds within 5 standard errors (a 5% variance error fails).
 *
 * Each row says what it needs: `tfjs` (tfjs 4.22's own class has Keras 3's meaning), `package`
 * (a name tfjs lacks; this package registers it) or `fixedBuiltins` (tfjs has the name but not Keras
 * 3's meaning — the test shows how it fails — and `useFixedBuiltins()` gives it). The same table is
 * in docs/initializers.md (a test below checks it there).
 */
type Needs = 'tfjs' | 'package' | 'fixedBuiltins';

interface Entry {
  initializer: {
    module: string;
    class_name: string;
    config: Record<string, unknown>;
    registered_name: null;
  };
  layer: 'Dense' | 'Conv1D';
  kernelShape: number[];
}

const FIXTURES = path.join(__dirname, 'fixtures');
const ENTRIES: Entry[] = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'keras3-initializers.json'), 'utf8'),
).entries;
const STFT_REF: {kernels: Array<{shape: number[]; config: object; values: number[]}>} = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'stft-reference.json'), 'utf8'),
);

/** Why values do not have the meaning (null when they do). */
type Meaning = (values: Float32Array, shape: number[]) => string | null;

function exact(f: (i: number, shape: number[]) => number): Meaning {
  return (values, shape) => {
    for (let i = 0; i < values.length; i++)
      if (values[i] !== Math.fround(f(i, shape)))
        return `value ${i} is ${values[i]}, not ${f(i, shape)}`;
    return null;
  };
}

/** Variance of N(0, 1) cut at ±2 and the std correction of Keras's truncated draws. */
const TRUNC_VAR = 0.87962566103423978 ** 2;

function stats(
  mean: number,
  variance: number,
  kurtosis: number,
  bound?: [number, number],
): Meaning {
  return (values) => {
    const m = moments(values);
    if (Math.abs(m.mean - mean) > meanTolerance(variance, m.n))
      return `mean ${m.mean}, not ${mean}`;
    if (Math.abs(m.variance - variance) > varianceTolerance(variance, m.n, kurtosis))
      return `variance ${m.variance}, not ${variance} (ratio ${(m.variance / variance).toFixed(3)})`;
    let m4 = 0;
    for (const v of values) m4 += (v - m.mean) ** 4;
    const k = m4 / m.n / (m.variance * m.variance);
    if (Math.abs(k - kurtosis) > 0.1)
      return `kurtosis ${k.toFixed(3)}, not ${kurtosis.toFixed(3)} (another distribution)`;
    if (
      bound !== undefined &&
      values.some((v) => v < Math.fround(bound[0]) || v > Math.fround(bound[1]))
    )
      return `values outside [${bound}]`;
    return null;
  };
}

/** Keras's VarianceScaling meaning: Var = scale / n, with its distribution. */
function scaled(variance: number, distribution: 'truncated' | 'normal' | 'uniform'): Meaning {
  const s = Math.sqrt(variance);
  if (distribution === 'uniform')
    return stats(0, variance, KURTOSIS.uniform, [-Math.sqrt(3) * s, Math.sqrt(3) * s]);
  if (distribution === 'normal') return stats(0, variance, KURTOSIS.untruncatedNormal);
  return stats(0, variance, KURTOSIS.truncatedNormal, [
    (-2 * s) / 0.87962566103423978,
    (2 * s) / 0.87962566103423978,
  ]);
}

/** Orthonormal rows (rows ≤ cols) times gain: max |WWᵀ − gain²I| < 1e-5·gain². */
function orthogonal(gain: number): Meaning {
  return (values, [rows, cols]) => {
    let err = 0;
    for (let a = 0; a < rows; a++) {
      for (let b = a; b < rows; b++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += values[a * cols + j] * values[b * cols + j];
        err = Math.max(err, Math.abs(s - (a === b ? gain * gain : 0)));
      }
    }
    return err < 1e-5 * gain * gain ? null : `not orthogonal: error ${err}`;
  };
}

/** The STFT kernel SciPy/NumPy computed for this shape and config (stft-reference.json), to float32 rounding. */
function stftReference(config: object): Meaning {
  return (values, shape) => {
    const ref = STFT_REF.kernels.find(
      (k) =>
        JSON.stringify(k.shape) === JSON.stringify(shape) &&
        JSON.stringify(k.config) === JSON.stringify(config),
    );
    if (ref === undefined) return 'no reference kernel for this shape and config';
    const bad = ref.values.findIndex(
      (v, i) =>
        Math.abs(values[i] - v) > 2 ** (Math.floor(Math.log2(Math.abs(v) || 1)) - 24) + 1e-12,
    );
    return bad < 0 ? null : `value ${bad} is ${values[bad]}, not ${ref.values[bad]}`;
  };
}

interface Row {
  needs: Needs;
  meaning: Meaning;
  /** For `fixedBuiltins` rows: what tfjs alone does instead (an error it throws, or how the values are off). */
  tfjsAlone?: RegExp;
}

const STFT_CONFIG = {side: 'imag', window: 'hamming', scaling: null, periodic: true};

/** One row per fixture entry, in order. */
const ROWS: Record<string, Row[]> = {
  Constant: [{needs: 'tfjs', meaning: exact(() => 0.25)}],
  Zeros: [{needs: 'tfjs', meaning: exact(() => 0)}],
  Ones: [{needs: 'tfjs', meaning: exact(() => 1)}],
  // Keras 3.15 saves Identity as {} (its get_config drops `gain`), so the file means gain 1.
  Identity: [
    {
      needs: 'fixedBuiltins',
      meaning: exact((i, [, c]) => (Math.floor(i / c) === i % c ? 1 : 0)),
      tfjsAlone: /Identity matrix initializer can only be used for 2D square matrices/,
    },
  ],
  IdentityInitializer: [
    {needs: 'package', meaning: exact((i, [, c]) => (Math.floor(i / c) === i % c ? 2 : 0))},
  ],
  RandomNormal: [{needs: 'tfjs', meaning: stats(0.5, 0.04, KURTOSIS.untruncatedNormal)}],
  RandomUniform: [
    {needs: 'tfjs', meaning: stats(0.2, 1 / 12, KURTOSIS.uniform, [-0.3, 0.7])},
    {
      needs: 'fixedBuiltins',
      meaning: stats(0.5, 1 / 12, KURTOSIS.uniform, [0, 1]),
      tfjsAlone: /^mean 0\.47/,
    }, // tfjs: minval 0 → −0.05
  ],
  TruncatedNormal: [
    {needs: 'tfjs', meaning: stats(0, 0.04 * TRUNC_VAR, KURTOSIS.truncatedNormal, [-0.4, 0.4])},
  ],
  VarianceScaling: [
    {needs: 'fixedBuiltins', meaning: scaled(2 / 256, 'truncated'), tfjsAlone: /^kurtosis 1\.8/}, // tfjs draws truncatedNormal as uniform
    {
      needs: 'fixedBuiltins',
      meaning: scaled(1 / 320, 'normal'),
      tfjsAlone: /untruncatedNormal is not a valid Distribution/,
    },
    {
      needs: 'fixedBuiltins',
      meaning: scaled(1 / 64, 'uniform'),
      tfjsAlone: /^variance .* \(ratio 0\.2/,
    }, // input_axes ignored: fanIn 5·64
  ],
  GlorotNormal: [
    {needs: 'fixedBuiltins', meaning: scaled(2 / 640, 'truncated'), tfjsAlone: /\(ratio 0\.7/},
  ], // no 0.8796 correction
  GlorotUniform: [{needs: 'tfjs', meaning: scaled(2 / 640, 'uniform')}],
  HeNormal: [
    {needs: 'fixedBuiltins', meaning: scaled(2 / 256, 'truncated'), tfjsAlone: /\(ratio 0\.7/},
  ],
  HeUniform: [{needs: 'tfjs', meaning: scaled(2 / 256, 'uniform')}],
  LecunNormal: [{needs: 'package', meaning: scaled(1 / 256, 'truncated')}],
  LecunUniform: [{needs: 'package', meaning: scaled(1 / 256, 'uniform')}],
  // tfjs's own class; with tfjs-core + tfjs-layers only (as here) it runs through this package's fallback.
  Orthogonal: [{needs: 'tfjs', meaning: orthogonal(1.5)}],
  OrthogonalInitializer: [{needs: 'package', meaning: orthogonal(1.5)}],
  STFT: [{needs: 'package', meaning: stftReference(STFT_CONFIG)}],
  STFTInitializer: [{needs: 'package', meaning: stftReference(STFT_CONFIG)}],
};

/** Each fixture entry with its row. */
const TABLE = ENTRIES.map((entry, i) => {
  const name = entry.initializer.class_name;
  const k = ENTRIES.slice(0, i).filter((e) => e.initializer.class_name === name).length;
  return {entry, name, row: ROWS[name]?.[k]};
});

/** A Keras 3 model.json holding one layer whose kernel the entry initializes. */
function modelFor(entry: Entry): object {
  const s = entry.kernelShape;
  const input = entry.layer === 'Dense' ? [null, s[0]] : [null, 2 * s[0], s[1]];
  const layerConfig =
    entry.layer === 'Dense'
      ? {name: 'kernel_layer', units: s[1], use_bias: false, kernel_initializer: entry.initializer}
      : {
          name: 'kernel_layer',
          filters: s[2],
          kernel_size: [s[0]],
          use_bias: false,
          kernel_initializer: entry.initializer,
        };
  return {
    keras_version: '3.15.1',
    backend: 'tensorflow',
    model_config: {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: {batch_input_shape: input, dtype: 'float32', name: 'in'},
            registered_name: null,
          },
          {
            module: 'keras.layers',
            class_name: entry.layer,
            config: layerConfig,
            registered_name: null,
          },
        ],
      },
    },
  };
}

/** Loads the entry's model (topology only) and returns its kernel and initializer, or the error. */
async function load(
  entry: Entry,
): Promise<{values: Float32Array; init: unknown} | {error: string}> {
  try {
    const model = await tfl.models.modelFromJSON({modelTopology: modelFor(entry)} as never);
    const layer = model.getLayer('kernel_layer');
    const kernel = layer.getWeights()[0];
    expect(kernel.shape).toEqual(entry.kernelShape);
    const values = kernel.dataSync() as Float32Array;
    const init = (layer as unknown as {kernelInitializer: unknown}).kernelInitializer;
    model.dispose();
    return {values, init};
  } catch (e) {
    return {error: String(e)};
  }
}

describe("every Keras 3 initializer name loads with Keras 3's meaning", () => {
  afterAll(() => {
    restoreBuiltins();
  });

  it('the table covers every fixture entry and every name Keras 3.15 registers', () => {
    const keras3Names = [
      'Constant',
      'Zeros',
      'Ones',
      'Identity',
      'IdentityInitializer',
      'RandomNormal',
      'RandomUniform',
      'TruncatedNormal',
      'VarianceScaling',
      'GlorotNormal',
      'GlorotUniform',
      'HeNormal',
      'HeUniform',
      'LecunNormal',
      'LecunUniform',
      'Orthogonal',
      'OrthogonalInitializer',
      'STFT',
      'STFTInitializer',
    ];
    expect([...new Set(TABLE.map((t) => t.name))].sort()).toEqual([...keras3Names].sort());
    for (const t of TABLE) expect(t.row).toBeDefined();
    for (const name of Object.keys(ROWS))
      expect(ROWS[name].length).toBe(TABLE.filter((t) => t.name === name).length);
  });

  it.each(TABLE.map((t, i) => [`${t.name} #${i}`, t] as const))(
    '%s, without useFixedBuiltins()',
    async (_label, {entry, name, row}) => {
      restoreBuiltins();
      const got = await load(entry);
      if (row!.needs === 'fixedBuiltins') {
        // tfjs has the name but not the meaning: it throws, or the values are off, as recorded.
        const failure = 'error' in got ? got.error : row!.meaning(got.values, entry.kernelShape);
        expect(failure).not.toBeNull();
        expect(failure).toMatch(row!.tfjsAlone!);
        return;
      }
      if ('error' in got) throw new Error(got.error);
      expect(row!.meaning(got.values, entry.kernelShape)).toBeNull();
      if (row!.needs === 'tfjs')
        expect(got.init).not.toBeInstanceOf(BaseInitializer); // tfjs's own class
      else {
        expect(TFJS_BUILTIN_NAMES).not.toContain(name); // a name tfjs does not have
        expect(got.init).toBeInstanceOf(BaseInitializer);
      }
    },
  );

  it.each(TABLE.map((t, i) => [`${t.name} #${i}`, t] as const))(
    '%s, with useFixedBuiltins()',
    async (_label, {entry, row}) => {
      useFixedBuiltins();
      const got = await load(entry);
      if ('error' in got) throw new Error(got.error);
      expect(row!.meaning(got.values, entry.kernelShape)).toBeNull();
    },
  );

  it(
    "tfjs spells LeCunNormal, Keras 3 LecunNormal: tfjs's name " +
      "stays tfjs's (uncorrected), Keras 3's loads ours",
    async () => {
      restoreBuiltins();
      expect(TFJS_BUILTIN_NAMES).toContain('LeCunNormal');
      const entry = ENTRIES.find((e) => e.initializer.class_name === 'LecunNormal')!;
      const tfjsSpelling = await load({
        ...entry,
        initializer: {...entry.initializer, class_name: 'LeCunNormal', config: {seed: 22}},
      });
      if ('error' in tfjsSpelling) throw new Error(tfjsSpelling.error);
      expect(tfjsSpelling.init).not.toBeInstanceOf(BaseInitializer);
      expect(scaled(1 / 256, 'truncated')(tfjsSpelling.values, entry.kernelShape)).toMatch(
        /\(ratio 0\.7/,
      );
      const kerasSpelling = await load(entry);
      expect('init' in kerasSpelling && kerasSpelling.init).toBeInstanceOf(LecunNormal);
    },
  );
});

describe('a Keras 3 file using input_axes / output_axes and STFT', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-k3-axes-'));
    fs.copyFileSync(path.join(FIXTURES, 'keras3-axes-stft.json'), path.join(dir, 'model.json'));
  });
  afterEach(() => {
    fs.rmSync(dir, {recursive: true, force: true});
    restoreBuiltins();
  });

  it("loads with Keras 3's fans (fixed built-ins) and the STFT kernel, runs, and saves the axes again", async () => {
    useFixedBuiltins();
    const model = await tfl.loadLayersModel(fileIO(path.join(dir, 'model.json')));
    const w = (name: string): Float32Array =>
      model.getLayer(name).getWeights()[0].dataSync() as Float32Array;
    expect(w('stft')).toEqual(
      take(
        new STFT({side: 'real', window: 'hann', scaling: 'density', periodic: false}).apply([
          8, 1, 5,
        ]),
      ),
    );
    // GlorotUniform with input_axes [1], output_axes [2] on a Conv1D kernel [3, 5, 64]: Keras's fans are (5, 64).
    expect(w('mix')).toEqual(
      take(
        new VarianceScalingInitializer({
          mode: 'fanAvg',
          distribution: 'uniform',
          fanIn: 5,
          fanOut: 64,
          seed: 4,
        }).apply([3, 5, 64]),
      ),
    );
    expect(w('head')).toEqual(
      take(
        new VarianceScalingInitializer({scale: 2, fanIn: 64, fanOut: 32, seed: 5}).apply([64, 32]),
      ),
    );
    expect(w('out')).toEqual(take(new LecunNormal({seed: 6}).apply([5 * 32, 4])));
    // Keras 3's input_axes / output_axes reach our LecunNormal as inputAxes / outputAxes.
    expect(
      (
        model.getLayer('out') as unknown as {kernelInitializer: LecunNormal}
      ).kernelInitializer.getConfig(),
    ).toMatchObject({seed: 6, inputAxes: [0], outputAxes: [1]});
    const y = model.predict(tf.ones([2, 32, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 4]);
    y.dispose();
    const again = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const mix = again.config.layers.find((l: {config: {name: string}}) => l.config.name === 'mix')
      .config.kernel_initializer;
    expect(mix).toEqual({
      class_name: 'VarianceScaling',
      config: {
        scale: 1,
        mode: 'fan_avg',
        distribution: 'uniform',
        seed: 4,
        input_axes: [1],
        output_axes: [2],
      },
    });
    model.dispose();
  });

  it(
    'without useFixedBuiltins() it loads too, but tfjs drops ' +
      'input_axes: the Conv1D kernel gets the channels-last fans',
    async () => {
      const model = await tfl.loadLayersModel(fileIO(path.join(dir, 'model.json')));
      const mix = model.getLayer('mix').getWeights()[0].dataSync() as Float32Array;
      const maxAbs = mix.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (15 + 192)) + 1e-6); // tfjs: fans 3·5, 3·64
      expect(Math.sqrt(6 / (5 + 64))).toBeGreaterThan(1.5 * Math.sqrt(6 / (15 + 192))); // Keras's bound is far above
      model.dispose();
    },
  );
});

/**
 * Every `jax.nn.initializers` function and its named equivalent here, checked against JAX's
 * definition (jax/_src/nn/initializers.py): the values or the distribution's moments.
 */
interface JaxRow {
  jax: string;
  ours: string;
  make: () => {apply: (shape: number[]) => tf.Tensor};
  shape: number[];
  meaning: Meaning;
}

const JAX: JaxRow[] = [
  {
    jax: 'zeros',
    ours: 'ZeroBias()',
    make: () => new ZeroBias(),
    shape: [8, 8],
    meaning: exact(() => 0),
  },
  {
    jax: 'ones',
    ours: "tfjs 'ones'",
    make: () => tfl.initializers.ones(),
    shape: [8, 8],
    meaning: exact(() => 1),
  },
  {
    jax: 'constant(value)',
    ours: "tfjs 'constant' ({value})",
    make: () => tfl.initializers.constant({value: -7}),
    shape: [8, 8],
    meaning: exact(() => -7),
  },
  {
    jax: 'uniform(scale=1e-2)',
    ours: 'Uniform({low: 0, high: scale})',
    make: () => new Uniform({low: 0, high: 0.01, seed: 1}),
    shape: [256, 256],
    meaning: stats(0.005, 1e-4 / 12, KURTOSIS.uniform, [0, 0.01]),
  },
  {
    jax: 'normal(stddev=1e-2)',
    ours: 'Normal({std: stddev})',
    make: () => new Normal({std: 0.01, seed: 2}),
    shape: [256, 256],
    meaning: stats(0, 1e-4, KURTOSIS.untruncatedNormal),
  },
  {
    jax: 'truncated_normal(stddev=1e-2, lower=-2, upper=2)',
    ours: 'TruncNormal({std: stddev, a: lower·stddev, b: upper·stddev})',
    make: () => new TruncNormal({std: 0.01, a: -0.02, b: 0.02, seed: 3}),
    shape: [256, 256],
    meaning: stats(0, 1e-4 * TRUNC_VAR, KURTOSIS.truncatedNormal, [-0.02, 0.02]),
  },
  {
    jax: 'variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis)',
    ours: 'VarianceScalingInitializer({scale, mode, distribution, inAxis, outAxis, batchAxis})',
    make: () =>
      new VarianceScalingInitializer({
        scale: 2,
        mode: 'fanOut',
        distribution: 'untruncatedNormal',
        inAxis: 0,
        outAxis: [1, 2],
        seed: 4,
      }),
    shape: [256, 8, 32],
    meaning: scaled(2 / 256, 'normal'),
  },
  {
    jax: 'glorot_uniform / xavier_uniform',
    ours: 'XavierUniformCustom()',
    make: () => new XavierUniformCustom({seed: 5}),
    shape: [256, 384],
    meaning: scaled(2 / 640, 'uniform'),
  },
  {
    jax: 'glorot_normal / xavier_normal',
    ours: "VarianceScalingInitializer({mode: 'fanAvg'})",
    make: () => new VarianceScalingInitializer({mode: 'fanAvg', seed: 6}),
    shape: [256, 384],
    meaning: scaled(2 / 640, 'truncated'),
  },
  {
    jax: 'he_uniform / kaiming_uniform',
    ours: 'KaimingUniform()',
    make: () => new KaimingUniform({seed: 7}),
    shape: [256, 384],
    meaning: scaled(2 / 256, 'uniform'),
  },
  {
    jax: 'he_normal / kaiming_normal',
    ours: 'VarianceScalingInitializer({scale: 2})',
    make: () => new VarianceScalingInitializer({scale: 2, seed: 8}),
    shape: [256, 384],
    meaning: scaled(2 / 256, 'truncated'),
  },
  {
    jax: 'lecun_uniform',
    ours: 'LecunUniform()',
    make: () => new LecunUniform({seed: 9}),
    shape: [256, 384],
    meaning: scaled(1 / 256, 'uniform'),
  },
  {
    jax: 'lecun_normal',
    ours: 'LecunNormal()',
    make: () => new LecunNormal({seed: 10}),
    shape: [256, 384],
    meaning: scaled(1 / 256, 'truncated'),
  },
  {
    jax: 'orthogonal(scale, column_axis)',
    ours: 'OrthogonalInitializer({gain: scale, columnAxis})',
    make: () => new OrthogonalInitializer({gain: 1.5, columnAxis: -1, seed: 11}),
    shape: [48, 96],
    meaning: orthogonal(1.5),
  },
  {
    jax: 'delta_orthogonal(scale)',
    ours: 'DeltaOrthogonal({gain: scale})',
    make: () => new DeltaOrthogonal({gain: 1.5, seed: 12}),
    shape: [3, 3, 32, 48],
    meaning: (values) => {
      const centre = 4 * 32 * 48; // tap (1, 1) = (k − 1) // 2, JAX's
      for (let i = 0; i < values.length; i++)
        if ((i < centre || i >= centre + 32 * 48) && values[i] !== 0)
          return `value ${i} off the centre tap is ${values[i]}`;
      return orthogonal(1.5)(values.subarray(centre, centre + 32 * 48), [32, 48]);
    },
  },
];

describe('every jax.nn.initializers function has a named equivalent', () => {
  it.each(JAX.map((r) => [r.jax, r.ours, r] as const))('%s → %s', (_jax, _ours, r) => {
    expect(r.meaning(take(r.make().apply(r.shape)), r.shape)).toBeNull();
  });
});

describe('docs/initializers.md holds both tables', () => {
  const lines = fs
    .readFileSync(path.join(__dirname, '..', 'docs', 'initializers.md'), 'utf8')
    .split('\n');
  /** The lines of the section under `heading`, up to the next heading. */
  const section = (heading: string): string[] => {
    const start = lines.indexOf(heading);
    expect(start).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
    return lines.slice(start, end < 0 ? undefined : end);
  };
  const LABEL: Record<Needs, string> = {
    tfjs: 'tfjs alone',
    package: 'this package',
    fixedBuiltins: '`useFixedBuiltins()`',
  };
  const RANK: Record<Needs, number> = {tfjs: 0, package: 1, fixedBuiltins: 2};

  it('a Keras 3 row per name, saying what it needs (the most any of its configs here needs)', () => {
    for (const name of Object.keys(ROWS)) {
      const needs = ROWS[name].map((r) => r.needs).reduce((a, b) => (RANK[a] >= RANK[b] ? a : b));
      const line = section('### Every Keras 3 initializer name').find((l) =>
        l.startsWith(`| \`${name}\` |`),
      );
      expect(line).toBeDefined();
      expect(line!.split('|')[3]).toContain(LABEL[needs]);
    }
  });

  it('a JAX row per function with the equivalent the test checks', () => {
    for (const r of JAX) {
      const line = section('### Every `jax.nn.initializers` function').find((l) =>
        l.startsWith(`| \`${r.jax}\` |`),
      );
      expect(line).toBeDefined();
      expect(line).toContain(`\`${r.ours}\``);
    }
  });
});
