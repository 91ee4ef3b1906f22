/**
 * THE table of per-initializer facts that tests and scripts derive from: every class the package
 * registers (and every fixed tfjs built-in), with its options and their kinds, the dtypes it fills,
 * whether it draws random numbers, the kernels it fits and shapes to try it on. The error table
 * (scripts/errors/table.ts, which renders docs/errors.md), the property tests and the fuzz script
 * (__tests__/helpers/arbitraries.ts), the catalogue test and the memory stress script all read it;
 * a test checks that it lists exactly the registered classes, and the error rows check every option
 * kind against the real messages, so the table cannot drift from the code.
 */
import type {DataType} from '@tensorflow/tfjs-core';
import {lowerFirst} from '../src/core/camel-case';

/** Kinds of option, each with its own valid and invalid values and its own error wording. */
export type OptionKind =
  | {kind: 'positive'} // finite > 0, ≤ 1e36
  | {kind: 'nonNegative'} // finite ≥ 0, ≤ 1e36
  | {kind: 'finite'} // finite, |x| ≤ 1e36
  | {kind: 'seed'} // integer in [0, 2^53 − 1]
  | {kind: 'count'} // integer ≥ 1
  | {kind: 'probability'} // [0, 1]
  | {kind: 'boolean'} // true or false
  | {kind: 'axis'} // one integer (an axis; negative counts from the end)
  | {kind: 'axes'} // an integer or an array of distinct integers (fan axes)
  | {kind: 'window'; names: readonly string[]} // STFT: a window name, an array of finite numbers, or null
  /** One of the strings; with `nullable`, `null` is a value of its own ("none"), not "absent". */
  | {kind: 'oneOf'; values: readonly string[]; nullable?: true};

/** Which kernels a scheme fills. */
export type KernelKind =
  /** any shape of rank ≥ 2, or any rank with explicit fans (variance scaling) */
  | 'fans'
  /** any shape */
  | 'any'
  /** a matrix (rank 2) or more, as its scheme requires */
  | 'matrix'
  /** a convolution kernel [...k, in, out] of rank 3–5 */
  | 'conv'
  /** a Conv1D kernel [frameLength, 1, bins] (STFT) */
  | 'stft';

/** What the tests need to know about one initializer class. */
export interface ClassFacts {
  /** Class name, as exported and registered. */
  name: string;
  /** Every option of its schema, in schema order (the order error messages list them), with its kind. */
  options: Readonly<Record<string, OptionKind>>;
  /** Dtypes `apply` accepts. */
  dtypes: readonly DataType[];
  /** Whether it draws random numbers (and so takes a `seed`). */
  seeded: boolean;
  kernel: KernelKind;
  /** A small shape it accepts: a Dense kernel [4, 6], a conv kernel [3, 3, 4, 6], or a bias [6]. */
  shape: number[];
  /** About 1e7 elements for the memory stress script, when [3125, 3200] does not suit (and why). */
  stress?: {shape: number[]; why: string};
}

const POSITIVE: OptionKind = {kind: 'positive'};
const NON_NEGATIVE: OptionKind = {kind: 'nonNegative'};
const FINITE: OptionKind = {kind: 'finite'};
const SEED: OptionKind = {kind: 'seed'};
const COUNT: OptionKind = {kind: 'count'};
const FAN_MODES = ['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'] as const;
const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'convTranspose1d',
  'convTranspose2d',
  'convTranspose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'selu',
] as const;
const TAP: OptionKind = {kind: 'oneOf', values: ['lower', 'upper']};
const FLOAT: readonly DataType[] = ['float32'];

const ORTHOGONAL_STRESS = {
  shape: [156250, 64],
  why:
    'a square draw costs ~rows·cols² flops (seconds for 3125 × ' +
    '3200); a tall 1e7-element kernel keeps it to a fraction ' +
    'of a second',
};
const CONV_STRESS = {
  shape: [5, 5, 400, 1000],
  why: 'a conv kernel [kh, kw, in, out] with in ≤ out; the 400 × 1000 centre fits every conv scheme',
};

const AXES: OptionKind = {kind: 'axes'};
/** The fan-axis options: JAX's three, then Keras 3's two. */
const FAN_AXES = {inAxis: AXES, outAxis: AXES, batchAxis: AXES, inputAxes: AXES, outputAxes: AXES};

/** The variance-scaling presets' shared options, after their own. */
const scaled = (own: Record<string, OptionKind>): Record<string, OptionKind> => ({
  ...own,
  seed: SEED,
  fanIn: COUNT,
  fanOut: COUNT,
  ...FAN_AXES,
});

/** Window names STFT accepts (SciPy's canonical names; its aliases load too). */
export const STFT_WINDOWS = [
  'hann',
  'hamming',
  'blackman',
  'bartlett',
  'boxcar',
  'triang',
  'blackmanharris',
  'nuttall',
  'flattop',
  'bohman',
  'parzen',
  'barthann',
  'cosine',
  'tukey',
] as const;

/** Every class the package registers. */
export const CATALOGUE: readonly ClassFacts[] = [
  {
    name: 'VarianceScalingInitializer',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'fans',
    shape: [4, 6],
    options: scaled({
      scale: POSITIVE,
      mode: {kind: 'oneOf', values: FAN_MODES},
      distribution: {kind: 'oneOf', values: ['truncatedNormal', 'untruncatedNormal', 'uniform']},
    }),
  },
  ...['XavierUniformCustom', 'XavierNormal'].map((name): ClassFacts => ({
    name,
    dtypes: FLOAT,
    seeded: true,
    kernel: 'fans',
    shape: [4, 6],
    options: scaled({gain: POSITIVE}),
  })),
  ...['KaimingUniform', 'KaimingNormal'].map((name): ClassFacts => ({
    name,
    dtypes: FLOAT,
    seeded: true,
    kernel: 'fans',
    shape: [4, 6],
    options: scaled({
      a: FINITE,
      mode: {kind: 'oneOf', values: ['fanIn', 'fanOut']},
      nonlinearity: {kind: 'oneOf', values: NONLINEARITIES},
    }),
  })),
  ...['LecunNormal', 'LecunUniform'].map((name): ClassFacts => ({
    name,
    dtypes: FLOAT,
    seeded: true,
    kernel: 'fans',
    shape: [4, 6],
    options: scaled({}),
  })),
  {
    name: 'Uniform',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'any',
    shape: [4, 6],
    options: {low: FINITE, high: FINITE, seed: SEED},
  },
  {
    name: 'Normal',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'any',
    shape: [4, 6],
    options: {mean: FINITE, std: NON_NEGATIVE, seed: SEED},
  },
  {
    name: 'TruncNormal',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'any',
    shape: [4, 6],
    options: {mean: FINITE, std: POSITIVE, a: FINITE, b: FINITE, seed: SEED},
  },
  {
    name: 'SparseInit',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'matrix',
    shape: [4, 6],
    options: {
      sparsity: {kind: 'probability'},
      nonzeroPerUnit: COUNT,
      std: NON_NEGATIVE,
      seed: SEED,
    },
  },
  {
    name: 'OrthogonalInitializer',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'matrix',
    shape: [4, 6],
    options: {gain: POSITIVE, seed: SEED, gates: COUNT, columnAxis: {kind: 'axis'}},
    stress: ORTHOGONAL_STRESS,
  },
  {
    name: 'DeltaOrthogonal',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'conv',
    shape: [3, 3, 4, 6],
    options: {gain: POSITIVE, seed: SEED, tap: TAP},
    stress: CONV_STRESS,
  },
  {
    name: 'Eye',
    dtypes: FLOAT,
    seeded: false,
    kernel: 'matrix',
    shape: [4, 6],
    options: {gain: POSITIVE},
  },
  {
    name: 'Dirac',
    dtypes: FLOAT,
    seeded: false,
    kernel: 'conv',
    shape: [3, 3, 4, 6],
    options: {groups: COUNT, tap: TAP},
    stress: CONV_STRESS,
  },
  {name: 'ZerO', dtypes: FLOAT, seeded: false, kernel: 'matrix', shape: [4, 6], options: {}},
  {
    name: 'STFT',
    dtypes: FLOAT,
    seeded: false,
    kernel: 'stft',
    shape: [8, 1, 5],
    options: {
      side: {kind: 'oneOf', values: ['real', 'imag']},
      window: {kind: 'window', names: STFT_WINDOWS},
      scaling: {kind: 'oneOf', values: ['density', 'spectrum'], nullable: true},
      periodic: {kind: 'boolean'},
    },
    stress: {
      shape: [1000, 1, 10001],
      why: 'a Conv1D kernel [frameLength, 1, bins]: 1000-sample frames, 10001 bins (FFT length 20000)',
    },
  },
  {
    name: 'ZeroBias',
    dtypes: ['float32', 'int32', 'bool', 'complex64'],
    seeded: false,
    kernel: 'any',
    shape: [6],
    options: {},
  },
];

/** The fixed tfjs built-ins `useFixedBuiltins()` registers under tfjs's own names. */
export const FIXED_BUILTINS: readonly ClassFacts[] = [
  {
    name: 'VarianceScaling',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'fans',
    shape: [4, 6],
    options: {
      scale: NON_NEGATIVE,
      mode: {kind: 'oneOf', values: FAN_MODES},
      distribution: {
        kind: 'oneOf',
        values: ['normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'],
      },
      seed: SEED,
      inputAxes: AXES,
      outputAxes: AXES,
    },
  },
  ...['GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LeCunUniform', 'LeCunNormal'].map(
    (name): ClassFacts => ({
      name,
      dtypes: FLOAT,
      seeded: true,
      kernel: 'fans',
      shape: [4, 6],
      options: {seed: SEED, inputAxes: AXES, outputAxes: AXES},
    }),
  ),
  {
    name: 'Orthogonal',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'matrix',
    shape: [4, 6],
    options: {gain: POSITIVE, seed: SEED},
    stress: ORTHOGONAL_STRESS,
  },
  {
    name: 'Identity',
    dtypes: FLOAT,
    seeded: false,
    kernel: 'matrix',
    shape: [4, 6],
    options: {gain: POSITIVE},
  },
  {
    name: 'RandomUniform',
    dtypes: FLOAT,
    seeded: true,
    kernel: 'any',
    shape: [4, 6],
    options: {minval: FINITE, maxval: FINITE, seed: SEED},
  },
  ...['RandomNormal', 'TruncatedNormal'].map((name): ClassFacts => ({
    name,
    dtypes: FLOAT,
    seeded: true,
    kernel: 'any',
    shape: [4, 6],
    options: {mean: FINITE, stddev: NON_NEGATIVE, seed: SEED},
  })),
];

/** The name of a class's factory function (the registry's camelCase rule, src/core/camel-case.ts). */
export function factoryOf(facts: ClassFacts): string {
  return lowerFirst(facts.name);
}

/** The facts of one class (of either table), by name. */
export function factsOf(name: string): ClassFacts {
  const facts = [...CATALOGUE, ...FIXED_BUILTINS].find((f) => f.name === name);
  if (facts === undefined) throw new Error(`scripts/catalogue.ts has no entry for ${name}`);
  return facts;
}
