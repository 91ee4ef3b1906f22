/**
 * THE table of invalid inputs: every public constructor, factory, function and CLI command, the
 * invalid inputs it refuses and the exact error. One data source for two uses:
 * `__tests__/errors/errors.test.ts` runs every row, and `npm run docs:errors` renders the rows to
 * docs/errors.md (a test checks the committed file equals the rendering).
 *
 * Messages are written out here as the specification; the test compares them exactly.
 */
import * as api from '../../src';
import * as tools from '../../src/tools';
import * as node from '../../src/node';
import {HOSTILE, HOSTILE_FS_DIR} from '../hostile-models';
import {NONLINEARITY_NAMES} from '../../src/fans';
import {CATALOGUE, factoryOf, type ClassFacts, type OptionKind} from '../catalogue';
import {WINDOW_NAMES} from '../../src/initializers/windows';
import {
  Shown,
  batch,
  described,
  disposedModel,
  disposedVariable,
  model,
  show,
  variable,
  zerosTensor,
} from './literal';

/** How a row calls the API (names are exports of `tfjs-initializers`, `/tools` or `/node`). */
export type Call =
  | {new: string; args: unknown[]}
  | {call: string; args: unknown[]}
  | {apply: string; options?: unknown; shape: unknown; dtype?: unknown}
  | {builtin: string; config: unknown}
  | {layer: Record<string, unknown>}
  | {load: string; options?: unknown}
  | {cli: string[]};

/** The error a row expects: an InitializerError (owner, parameter, message), or a CLI exit. */
export type Expected =
  | {owner: string; parameter: string; message: string; prefix?: true}
  | {exit: number; stderr: string; prefix?: true};

export interface ErrorRow {
  /** Heading of the table the row belongs to. */
  section: string;
  /** What is wrong, in words. */
  input: string;
  call: Call;
  error: Expected;
  /**
   * Set on the rows every initializer class gets from its facts (options by kind, shape, dtypes):
   * they run for every class, and docs/errors.md shows them once, for a template class.
   */
  derived?: true;
}

/** Functions that return a promise: their rows are awaited (and shown with `await`). */
export const ASYNC = new Set([
  'validateModelJSON',
  'loadLayersModelSafely',
  'lsuv',
  'selectBackend',
  'inspectModel',
  'planAnalysis',
]);

/** Every row, in document order. */
export const ROWS: ErrorRow[] = [];

let section = '';
const add = (input: string, call: Call, error: Expected): void => {
  ROWS.push({section, input, call, error});
};

/** A public export of any of the three entry points, by name. */
export function publicExport(name: string): unknown {
  const value = ([api, tools, node] as unknown as Array<Record<string, unknown>>)
    .map((entry) => entry[name])
    .find((v) => v !== undefined);
  if (value === undefined) throw new Error(`error table: no export named ${name}`);
  return value;
}

/** An exported class itself, as an argument (e.g. `fromConfig`'s first). */
const cls = (name: string): Shown => described(name, publicExport(name));

/** The standard option failure: `Owner: option \`key\` must be <allowed>. Received: key=<received>`. */
const opt = (owner: string, key: string, allowed: string, received: string): Expected => ({
  owner,
  parameter: key,
  message: `${owner}: option \`${key}\` must be ${allowed}. Received: ${key}=${received}`,
});
/** The same for a positional argument: `Owner: argument \`name\` must be <allowed>. Received: name=<received>`. */
const arg = (owner: string, name: string, allowed: string, received: string): Expected => ({
  owner,
  parameter: name,
  message: `${owner}: argument \`${name}\` must be ${allowed}. Received: ${name}=${received}`,
});
/** Any other failure: `Owner: <text>`. */
const err = (owner: string, parameter: string, text: string): Expected => ({
  owner,
  parameter,
  message: `${owner}: ${text}`,
});

const SEED = 'an integer in [0, 9007199254740991]';
/** What follows "did you mean" in every unknown-initializer-name error (initializers/initializer-names.ts). */
const NAME_RULE =
  'Names are case-sensitive: a registered class name (PascalCase, or camelCase with a lower-case ' +
  "first letter) or, as a string option, one of tfjs's identifiers ('glorotUniform', 'heNormal', " +
  "'zeros', ...). tfjs-initializers is imported and its initializers are registered with " +
  'tf.serialization; a name from another package loads once that package is imported.';
const CLASS_NAME_RULE =
  'Class names are case-sensitive: a registered initializer class, such as ' +
  "'GlorotUniform' or 'XavierUniformCustom' (tfjs's camelCase identifiers such as " +
  "'glorotUniform' work only as a layer's string option). tfjs-initializers is imported and " +
  'its initializers are registered with tf.serialization; a name from another package loads ' +
  'once that package is imported.';
const AXES = 'an integer or an array of distinct integers (axes; negative ones count from the end)';
const STFT_WINDOW_NAMES = WINDOW_NAMES.map((v) => `'${v}'`).join(', ');
const MAGNITUDE = 'at most 1e36 in magnitude (larger values overflow float32)';
const FAN = 'an integer >= 1';
const FLOAT_ONLY = "one of 'float32'";

// ---------------------------------------------------------------------------------------------
// Initializer classes: options at construction, then shape and dtype at apply.

const FAN_RANK = (name: string, shape: string): Expected =>
  err(
    name,
    'shape',
    `fan-in and fan-out need a kernel of rank >= 2 (e.g. Dense ` +
      `[in, out]), or explicit \`fanIn\` and \`fanOut\` options. ` +
      `Received: shape=${shape}`,
  );
const RANK = (name: string, min: number, shape: string, rank: number): Expected =>
  err(name, 'shape', `shape must have rank >= ${min}. Received: shape=${shape} (rank ${rank})`);
const CONV_RANK = (name: string, shape: string, rank: number): Expected =>
  err(
    name,
    'shape',
    `needs a convolution kernel [...kernelSize, inChannels, ` +
      `outChannels] of rank 3, 4 or 5 (Conv1D/2D/3D). Received: ` +
      `shape=${shape} (rank ${rank})`,
  );

const SCALED = "'fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'";
const NONLINEARITIES = NONLINEARITY_NAMES.map((n) => `'${n}'`).join(', ');

/** The rows an option of each kind gets, with the standard message its check gives. */
function kindRows(owner: string, key: string, kind: OptionKind): ClassRows['options'] {
  const row = (
    input: string,
    value: unknown,
    allowed: string,
    received: string,
  ): ClassRows['options'][number] => [input, {[key]: value}, opt(owner, key, allowed, received)];
  switch (kind.kind) {
    case 'positive':
      return [
        row(`${key} NaN`, NaN, 'a finite number > 0', 'NaN'),
        row(`${key} 0`, 0, 'a finite number > 0', '0'),
        row(`negative ${key}`, -1, 'a finite number > 0', '-1'),
        row(`${key} as a string`, '2', 'a finite number > 0', '"2"'),
        row(`${key} Infinity`, Infinity, 'a finite number > 0', 'Infinity'),
        row(`${key} 1e40 (overflows float32)`, 1e40, MAGNITUDE, '1e+40'),
      ];
    case 'nonNegative':
      return [
        row(`negative ${key}`, -1, 'a finite number >= 0', '-1'),
        row(`${key} NaN`, NaN, 'a finite number >= 0', 'NaN'),
        row(`${key} as a string`, '1', 'a finite number >= 0', '"1"'),
        row(`${key} 1e37`, 1e37, MAGNITUDE, '1e+37'),
      ];
    case 'bound':
      return [
        row(`${key} NaN`, NaN, 'a number (±Infinity allowed)', 'NaN'),
        row(`${key} as a string`, '1', 'a number (±Infinity allowed)', '"1"'),
        row(`${key} 1e37`, 1e37, MAGNITUDE, '1e+37'),
      ];
    case 'finite':
      return [
        row(`${key} NaN`, NaN, 'a finite number', 'NaN'),
        row(`${key} -Infinity`, -Infinity, 'a finite number', '-Infinity'),
        row(`${key} as a string`, '1', 'a finite number', '"1"'),
        row(`${key} 1e37`, 1e37, MAGNITUDE, '1e+37'),
      ];
    case 'seed':
      return [
        row(`negative ${key}`, -1, SEED, '-1'),
        row(`fractional ${key}`, 1.5, SEED, '1.5'),
        row(`${key} above 2^53 − 1`, 2 ** 53, SEED, '9007199254740992'),
        row(`${key} as a string`, '7', SEED, '"7"'),
      ];
    case 'count':
      return [
        row(`${key} 0`, 0, FAN, '0'),
        row(`fractional ${key}`, 2.5, FAN, '2.5'),
        row(`${key} as a string`, '8', FAN, '"8"'),
      ];
    case 'probability':
      return [
        row(`${key} above 1`, 1.5, 'a number in [0, 1]', '1.5'),
        row(`negative ${key}`, -0.1, 'a number in [0, 1]', '-0.1'),
        row(`${key} NaN`, NaN, 'a number in [0, 1]', 'NaN'),
      ];
    case 'oneOf': {
      const values = kind.values.map((v) => `'${v}'`).join(', ');
      const allowed = `one of ${values}${kind.nullable === true ? ' or null' : ''}`;
      return [
        row(`unknown ${key}`, 'unknown', allowed, '"unknown"'),
        row(`${key} as a number`, 1, allowed, '1'),
      ];
    }
    case 'boolean':
      return [
        row(`${key} as a string`, 'true', 'true or false', '"true"'),
        row(`${key} as a number`, 1, 'true or false', '1'),
      ];
    case 'axis': {
      const allowed = 'an integer (an axis; negative counts from the end)';
      return [
        row(`fractional ${key}`, 1.5, allowed, '1.5'),
        row(`${key} as a string`, '-1', allowed, '"-1"'),
        row(`${key} a list`, [0], allowed, '[0]'),
      ];
    }
    case 'axes':
      return [
        row(`fractional ${key}`, 0.5, AXES, '0.5'),
        row(`${key} as a string`, '0', AXES, '"0"'),
        row(`${key} naming an axis twice`, [1, 1], AXES, '[1, 1]'),
        row(`${key} with a NaN`, [0, NaN], AXES, '[0, NaN]'),
      ];
    case 'window': {
      const allowed =
        `one of ${kind.names.map((v) => `'${v}'`).join(', ')} (or a ` +
        `SciPy alias of one), a non-empty array of finite ` +
        `numbers, or null`;
      return [
        row(`unknown ${key}`, 'kaiser', allowed, '"kaiser"'),
        row(`${key} as a number`, 8, allowed, '8'),
        row(`empty ${key}`, [], allowed, '[]'),
        row(`${key} with a NaN`, [1, NaN], allowed, '[1, NaN]'),
      ];
    }
  }
}

/** The rows of one class: its bad options (beyond the per-kind rows) and its bad shapes (beyond the generic ones). */
interface ClassRows {
  /** [input in words, options, expected] for each bad option. */
  options: Array<[string, Record<string, unknown>, Expected]>;
  /** Extra apply rows: [input in words, options, shape, expected]. */
  apply?: Array<[string, Record<string, unknown> | undefined, unknown, Expected]>;
}

/**
 * Every variance-scaling class's fan-axis rules: construction (rules mixed, Keras's pair, explicit
 * fans) and apply (axes the shape lacks).
 */
function axesRows(name: string): Required<ClassRows> {
  return {
    options: [
      [
        'JAX and Keras 3 axes together',
        {inAxis: 0, inputAxes: [0], outputAxes: [1]},
        err(
          name,
          'inputAxes',
          "options `inAxis`, `outAxis`, `batchAxis` (JAX's rule) and " +
            "`inputAxes`, `outputAxes` (Keras 3's rule) cannot be " +
            'combined. Received: inAxis=0, inputAxes=[0]',
        ),
      ],
      [
        'inputAxes without outputAxes',
        {inputAxes: [0]},
        err(
          name,
          'outputAxes',
          'option `outputAxes` must be given with `inputAxes` (Keras 3 ' +
            'uses the two only together). Received: inputAxes=[0], ' +
            'outputAxes=null',
        ),
      ],
      [
        'explicit fanIn with axes',
        {fanIn: 8, inAxis: 0},
        err(
          name,
          'fanIn',
          'explicit fans and fan axes cannot be combined: give ' +
            '`fanIn`/`fanOut` or axes, not both. Received: ' +
            'fanIn=8, inAxis=0',
        ),
      ],
      [
        'inAxis = outAxis',
        {inAxis: 1, outAxis: 1},
        err(
          name,
          'outAxis',
          'options `inAxis` and `outAxis` both name axis 1: an axis is ' +
            'an input, an output or a batch axis, not two. Received: ' +
            'inAxis=1, outAxis=1',
        ),
      ],
      [
        'batchAxis on the default outAxis',
        {batchAxis: -1},
        err(
          name,
          'batchAxis',
          'options `outAxis` and `batchAxis` both name axis -1: an ' +
            'axis is an input, an output or a batch axis, not two. ' +
            'Received: outAxis=-1 (default), batchAxis=-1',
        ),
      ],
    ],
    apply: [
      [
        'inAxis beyond the rank',
        {inAxis: 2},
        [4, 6],
        err(
          name,
          'inAxis',
          'option `inAxis` must name axes of shape=[4, 6]: integers in [-2, 1]. Received: inAxis=2',
        ),
      ],
      [
        'the default inAxis on a rank-1 shape',
        {outAxis: 0},
        [6],
        err(
          name,
          'inAxis',
          'option `inAxis` must name axes of shape=[6]: integers in [-1, 0]. Received: inAxis=-2 (the default)',
        ),
      ],
      [
        'inAxis and outAxis the same axis, one counted from the end',
        {inAxis: 0, outAxis: -3},
        [3, 4, 6],
        err(
          name,
          'outAxis',
          'options `inAxis` and `outAxis` both name axis 0 of ' +
            'shape=[3, 4, 6]: an axis is an input, an output or a batch ' +
            'axis, not two. Received: inAxis=0, outAxis=-3',
        ),
      ],
      [
        'Keras 3 outputAxes beyond the rank',
        {inputAxes: [0], outputAxes: [1, 2]},
        [4, 6],
        err(
          name,
          'outputAxes',
          'option `outputAxes` must name axes of shape=[4, 6]: integers in [-2, 1]. Received: outputAxes=[1, 2]',
        ),
      ],
    ],
  };
}

/**
 * Each class's own failures, where it has any: cross-option rules and the shapes its scheme cannot
 * fill (the rows every option kind, shape and dtype gets are derived from the class).
 */
const OWN_ROWS: Readonly<Record<string, ClassRows>> = {
  VarianceScalingInitializer: {
    options: [
      [
        'mode in snake_case',
        {mode: 'fan_in'},
        opt('VarianceScalingInitializer', 'mode', `one of ${SCALED}`, '"fan_in"'),
      ],
      ...axesRows('VarianceScalingInitializer').options,
    ],
    apply: [
      [
        'rank 1 without fanIn and fanOut',
        undefined,
        [5],
        FAN_RANK('VarianceScalingInitializer', '[5]'),
      ],
      ...axesRows('VarianceScalingInitializer').apply,
    ],
  },
  XavierUniformCustom: {
    options: axesRows('XavierUniformCustom').options,
    apply: [
      ['rank 1 without fanIn and fanOut', undefined, [5], FAN_RANK('XavierUniformCustom', '[5]')],
      ...axesRows('XavierUniformCustom').apply,
    ],
  },
  XavierNormal: {
    options: axesRows('XavierNormal').options,
    apply: [
      ['scalar shape without fanIn and fanOut', undefined, [], FAN_RANK('XavierNormal', '[]')],
      ...axesRows('XavierNormal').apply,
    ],
  },
  ...Object.fromEntries(
    (['KaimingUniform', 'KaimingNormal'] as const).map((name): [string, ClassRows] => [
      name,
      {
        options: [
          [
            'mode fanAvg (Kaiming is fanIn or fanOut)',
            {mode: 'fanAvg'},
            opt(name, 'mode', "one of 'fanIn', 'fanOut'", '"fanAvg"'),
          ],
          [
            'nonlinearity in snake_case',
            {nonlinearity: 'leaky_relu'},
            opt(name, 'nonlinearity', `one of ${NONLINEARITIES}`, '"leaky_relu"'),
          ],
          ...axesRows(name).options,
        ],
        apply: [
          ['rank 1 without fanIn and fanOut', undefined, [5], FAN_RANK(name, '[5]')],
          ...axesRows(name).apply,
        ],
      },
    ]),
  ),
  ...Object.fromEntries(
    (['LecunNormal', 'LecunUniform'] as const).map((name): [string, ClassRows] => [
      name,
      {
        options: [
          [
            'a gain (Lecun takes none)',
            {gain: 2},
            err(
              name,
              'gain',
              'unknown option `gain`. Allowed options: `seed`, `fanIn`, ' +
                '`fanOut`, `inAxis`, `outAxis`, `batchAxis`, `inputAxes`, ' +
                '`outputAxes`',
            ),
          ],
          ...axesRows(name).options,
        ],
        apply: [
          ['rank 1 without fanIn', undefined, [5], FAN_RANK(name, '[5]')],
          ...axesRows(name).apply,
        ],
      },
    ]),
  ),
  Uniform: {
    options: [
      [
        'low = high',
        {low: 1, high: 1},
        err('Uniform', 'high', 'option `low` must be less than `high`. Received: low=1, high=1'),
      ],
      [
        'low > high',
        {low: 2, high: -2},
        err('Uniform', 'high', 'option `low` must be less than `high`. Received: low=2, high=-2'),
      ],
    ],
  },
  Normal: {options: []},
  TruncNormal: {
    options: [
      [
        'a > b',
        {a: 2, b: -2},
        err('TruncNormal', 'b', 'option `a` must be less than `b`. Received: a=2, b=-2'),
      ],
      [
        'no float32 between a and b',
        {a: 1e15, b: 1e15 + 1000},
        err(
          'TruncNormal',
          'b',
          'no float32 value lies in [a, b]. Received: a=1000000000000000, b=1000000000001000',
        ),
      ],
      [
        'all the mass within a float32 rounding step of a',
        {a: 1e30, b: 1e36},
        err(
          'TruncNormal',
          'b',
          'no float32 value of N(mean, std²) on [a, b] could be drawn ' +
            '(the mass lies closer to a bound than float32 can resolve). ' +
            'Received: mean=0, std=1, a=1e+30, b=1e+36',
        ),
      ],
    ],
  },
  SparseInit: {
    options: [
      [
        'both sparsity and nonzeroPerUnit',
        {sparsity: 0.5, nonzeroPerUnit: 3},
        err(
          'SparseInit',
          'nonzeroPerUnit',
          'give either `sparsity` (PyTorch) or `nonzeroPerUnit` ' +
            '(Martens), not both. Received: sparsity=0.5, ' +
            'nonzeroPerUnit=3',
        ),
      ],
    ],
    apply: [
      ['rank 1', undefined, [5], RANK('SparseInit', 2, '[5]', 1)],
      [
        'nonzeroPerUnit above the inputs per unit',
        {nonzeroPerUnit: 10},
        [4, 3],
        err(
          'SparseInit',
          'nonzeroPerUnit',
          'nonzeroPerUnit=10 exceeds the 4 inputs of each unit for shape=[4, 3]; it must be <= 4',
        ),
      ],
    ],
  },
  OrthogonalInitializer: {
    options: [],
    apply: [
      ['rank 1', undefined, [5], RANK('OrthogonalInitializer', 2, '[5]', 1)],
      [
        'last axis not divisible by gates',
        {gates: 4},
        [4, 6],
        err(
          'OrthogonalInitializer',
          'gates',
          'the last axis (6) must split into `gates`=4 equal blocks. Received: gates=4, shape=[4, 6]',
        ),
      ],
      [
        'columnAxis not divisible by gates',
        {gates: 4, columnAxis: 0},
        [6, 4],
        err(
          'OrthogonalInitializer',
          'gates',
          'axis 0 (columnAxis) (6) must split into `gates`=4 equal blocks. Received: gates=4, shape=[6, 4]',
        ),
      ],
      [
        'columnAxis beyond the rank',
        {columnAxis: 2},
        [4, 6],
        opt(
          'OrthogonalInitializer',
          'columnAxis',
          'an axis of shape=[4, 6]: an integer in [-2, 1]',
          '2',
        ),
      ],
      [
        'columnAxis before the first axis',
        {columnAxis: -3},
        [4, 6],
        opt(
          'OrthogonalInitializer',
          'columnAxis',
          'an axis of shape=[4, 6]: an integer in [-2, 1]',
          '-3',
        ),
      ],
    ],
  },
  DeltaOrthogonal: {
    options: [],
    apply: [
      ['a Dense kernel (rank 2)', undefined, [4, 6], CONV_RANK('DeltaOrthogonal', '[4, 6]', 2)],
      [
        'rank 6',
        undefined,
        [2, 2, 2, 2, 4, 6],
        CONV_RANK('DeltaOrthogonal', '[2, 2, 2, 2, 4, 6]', 6),
      ],
      [
        'more input than output channels',
        undefined,
        [3, 3, 8, 4],
        err(
          'DeltaOrthogonal',
          'shape',
          'needs inChannels <= outChannels (an orthogonal [in, out] ' +
            'centre with orthonormal rows). Received: shape=[3, 3, 8, 4] ' +
            '(in 8 > out 4)',
        ),
      ],
    ],
  },
  Eye: {
    options: [],
    apply: [
      [
        'rank 1',
        undefined,
        [5],
        err('Eye', 'shape', 'needs a matrix [rows, cols] (rank 2). Received: shape=[5]'),
      ],
      [
        'rank 3',
        undefined,
        [3, 3, 3],
        err('Eye', 'shape', 'needs a matrix [rows, cols] (rank 2). Received: shape=[3, 3, 3]'),
      ],
    ],
  },
  Dirac: {
    options: [
      [
        'a seed (Dirac is deterministic)',
        {seed: 1},
        err('Dirac', 'seed', 'unknown option `seed`. Allowed options: `groups`, `tap`'),
      ],
    ],
    apply: [
      ['a Dense kernel (rank 2)', undefined, [4, 6], CONV_RANK('Dirac', '[4, 6]', 2)],
      [
        'output channels not divisible by groups',
        {groups: 4},
        [3, 3, 4, 6],
        err(
          'Dirac',
          'groups',
          'the 6 output channels must split into `groups`=4 equal groups. Received: groups=4, shape=[3, 3, 4, 6]',
        ),
      ],
    ],
  },
  ZerO: {
    options: [
      [
        'a seed (ZerO is deterministic)',
        {seed: 1},
        err('ZerO', 'seed', 'unknown option `seed`. Allowed options: none'),
      ],
    ],
    apply: [
      ['rank 1', undefined, [5], RANK('ZerO', 2, '[5]', 1)],
      [
        'an even conv kernel',
        undefined,
        [2, 2, 3, 3],
        err(
          'ZerO',
          'shape',
          'ZerO on convolutions (Algorithm 2) is defined for odd kernel sizes only. Received: shape=[2, 2, 3, 3]',
        ),
      ],
      ['rank 6', undefined, [3, 3, 3, 3, 4, 4], CONV_RANK('ZerO', '[3, 3, 3, 3, 4, 4]', 6)],
    ],
  },
  ZeroBias: {
    options: [
      [
        'a value (zeros only)',
        {value: 1},
        err('ZeroBias', 'value', 'unknown option `value`. Allowed options: none'),
      ],
    ],
  },
  STFT: {
    options: [
      [
        'a seed (STFT is deterministic)',
        {seed: 1},
        err(
          'STFT',
          'seed',
          'unknown option `seed`. Allowed options: `side`, `window`, `scaling`, `periodic`',
        ),
      ],
      [
        "Keras 2's side name",
        {side: 'imaginary'},
        opt('STFT', 'side', "one of 'real', 'imag'", '"imaginary"'),
      ],
      [
        'a window that needs a parameter (kaiser, as a SciPy tuple)',
        {window: ['kaiser', 8]},
        opt(
          'STFT',
          'window',
          `one of ${STFT_WINDOW_NAMES} (or a SciPy alias of one), a non-empty array of finite numbers, or null`,
          '["kaiser", 8]',
        ),
      ],
    ],
    apply: [
      [
        'a Dense kernel (rank 2)',
        undefined,
        [8, 5],
        err(
          'STFT',
          'shape',
          'needs a Conv1D kernel [frameLength, 1, bins] (rank 3). Received: shape=[8, 5] (rank 2)',
        ),
      ],
      [
        'a Conv2D kernel (rank 4)',
        undefined,
        [8, 8, 1, 5],
        err(
          'STFT',
          'shape',
          'needs a Conv1D kernel [frameLength, 1, bins] (rank 3). Received: shape=[8, 8, 1, 5] (rank 4)',
        ),
      ],
      [
        'more than one input channel',
        undefined,
        [8, 2, 5],
        err(
          'STFT',
          'shape',
          'needs one input channel: a kernel [frameLength, 1, bins], ' +
            "as Keras 3's STFTSpectrogram builds it. Received: shape=[8, " +
            '2, 5] (2 input channels)',
        ),
      ],
      [
        'one bin (an FFT of length 0)',
        undefined,
        [8, 1, 1],
        err(
          'STFT',
          'shape',
          'needs bins >= 2 (bins = fftLength/2 + 1 for an even FFT length >= 2). Received: shape=[8, 1, 1]',
        ),
      ],
      [
        'an explicit window of the wrong length',
        {window: [1, 2, 3]},
        [8, 1, 5],
        err(
          'STFT',
          'window',
          'option `window` must have one value per frame sample: 3 ' +
            'values for frameLength=8 (shape[0]). Received: window=[1, ' +
            '2, 3], shape=[8, 1, 5]',
        ),
      ],
      [
        'a window of norm 0 (symmetric hann of length 2) with density scaling',
        undefined,
        [2, 1, 5],
        err(
          'STFT',
          'scaling',
          "option `scaling`='density' divides by the window's L2 " +
            'norm, which is 0 for window="hann" of length 2; use another ' +
            'window or scaling=null. Received: scaling="density", ' +
            'shape=[2, 1, 5]',
        ),
      ],
      [
        'an all-zero explicit window with spectrum scaling',
        {window: [0, 0, 0], scaling: 'spectrum'},
        [3, 1, 5],
        err(
          'STFT',
          'scaling',
          "option `scaling`='spectrum' divides by the window's L1 " +
            'norm, which is 0 for window=[0, 0, 0] of length 3; use ' +
            'another window or scaling=null. Received: ' +
            'scaling="spectrum", shape=[3, 1, 5]',
        ),
      ],
    ],
  },
};

/** The shape with its first dimension replaced by `d`. */
const withFirst = (shape: number[], d: unknown): unknown[] => [d, ...shape.slice(1)];

/**
 * The rows every initializer class gets from its facts alone: options that are not an object or
 * misspelt (directly, through the factory, from a saved config), the rows of each option's kind,
 * bad dimensions and sizes of its example shape, and the dtypes it refuses.
 */
function derivedRows(facts: ClassFacts, shownClass: Shown): ErrorRow[] {
  const {name} = facts;
  const rows: ErrorRow[] = [];
  const add = (input: string, call: Call, error: Expected): void => {
    rows.push({section: `${name}, ${factoryOf(facts)}()`, input, call, error, derived: true});
  };
  const keys = Object.keys(facts.options);
  const spec = {
    factory: factoryOf(facts),
    allowed: keys.length === 0 ? 'none' : keys.map((k) => `\`${k}\``).join(', '),
    options: Object.entries(facts.options).flatMap(([key, kind]) => kindRows(name, key, kind)),
    shape: [...facts.example],
    dtypes:
      facts.dtypes.length === 1 && facts.dtypes[0] === 'float32'
        ? undefined
        : `one of ${facts.dtypes.map((d) => `'${d}'`).join(', ')}`,
  };
  add(
    'options not an object',
    {new: name, args: ['fast']},
    err(name, 'args', 'options must be an object. Received: "fast"'),
  );
  add(
    'options an array',
    {new: name, args: [[1, 2]]},
    err(name, 'args', 'options must be an object. Received: [1, 2]'),
  );
  add(
    'misspelt option',
    {new: name, args: [{gian: 2}]},
    err(name, 'gian', `unknown option \`gian\`. Allowed options: ${spec.allowed}`),
  );
  add(
    'misspelt option, through the factory',
    {call: spec.factory, args: [{gian: 2}]},
    err(name, 'gian', `unknown option \`gian\`. Allowed options: ${spec.allowed}`),
  );
  add(
    'misspelt option, from a saved config',
    {call: `${name}.fromConfig`, args: [shownClass, {gian: 2}]},
    err(name, 'gian', `unknown option \`gian\`. Allowed options: ${spec.allowed}`),
  );
  for (const [input, options, expected] of spec.options)
    add(input, {new: name, args: [options]}, expected);
  const s = spec.shape;
  const shown = (shape: unknown[]): string =>
    `[${shape.map((d) => (typeof d === 'string' ? JSON.stringify(d) : String(d))).join(', ')}]`;
  const dims = `every dimension of shape must be an integer >= 1. Received: shape=`;
  for (const [input, d] of [
    ['a zero dimension', 0],
    ['a negative dimension', -2],
    ['a fractional dimension', 2.5],
    ['a NaN dimension', NaN],
    ['a dimension given as a string', '4'],
    ['an unknown (null) dimension', null],
  ] as const) {
    const shape = withFirst(s, d);
    add(input, {apply: name, shape}, err(name, 'shape', `${dims}${shown(shape)}`));
  }
  add(
    'shape not an array',
    {apply: name, shape: '4x6'},
    err(name, 'shape', 'shape must be an array of integers >= 1. Received: shape="4x6"'),
  );
  const huge = [...s.slice(0, -2), 65536, 65536];
  const size = huge.reduce((a, b) => a * b, 1);
  add(
    'more than 2^31 − 1 elements',
    {apply: name, shape: huge},
    err(
      name,
      'shape',
      `shape has ${size} elements, more than the 2147483647 an initializer allocates. Received: shape=${shown(huge)}`,
    ),
  );
  const allowed = spec.dtypes ?? FLOAT_ONLY;
  const badDtypes =
    spec.dtypes === undefined ? ['int32', 'bool', 'string', 'complex64'] : ['string', 'float64'];
  for (const dtype of badDtypes) {
    add(
      `dtype ${dtype}`,
      {apply: name, shape: s, dtype},
      err(name, 'dtype', `dtype must be ${allowed}. Received: dtype="${dtype}"`),
    );
  }
  return rows;
}

/** A class with one option of each kind, to show the derived rows once in docs/errors.md. */
export const TEMPLATE_CLASS: ClassFacts = {
  name: 'MyInit',
  options: {
    gain: {kind: 'positive'},
    std: {kind: 'nonNegative'},
    mean: {kind: 'finite'},
    seed: {kind: 'seed'},
    groups: {kind: 'count'},
    sparsity: {kind: 'probability'},
    periodic: {kind: 'boolean'},
    columnAxis: {kind: 'axis'},
    inAxis: {kind: 'axes'},
    mode: {kind: 'oneOf', values: ['fanIn', 'fanOut']},
    scaling: {kind: 'oneOf', values: ['density', 'spectrum'], nullable: true},
    window: {kind: 'window', names: WINDOW_NAMES},
  },
  dtypes: ['float32'],
  seeded: true,
  ranks: [0, Infinity],
  example: [4, 6],
};

/** The derived rows of {@link TEMPLATE_CLASS}: shown in docs/errors.md, not run (no such class). */
export const TEMPLATE_ROWS: readonly ErrorRow[] = derivedRows(
  TEMPLATE_CLASS,
  new Shown(TEMPLATE_CLASS.name, () => undefined),
);

for (const facts of CATALOGUE) {
  const {name} = facts;
  ROWS.push(...derivedRows(facts, cls(name)));
  const own = OWN_ROWS[name];
  if (own === undefined) continue; // a class needs no entry: its derived rows cover it
  section = `${name}, ${factoryOf(facts)}()`;
  for (const [input, options, expected] of own.options)
    add(input, {new: name, args: [options]}, expected);
  for (const [input, options, shape, expected] of own.apply ?? [])
    add(input, {apply: name, options, shape}, expected);
}

// ---------------------------------------------------------------------------------------------
// Unknown initializer names in tfjs's own layer configs (initializers/unknown-name-hook.ts); the
// same text answers a model file, a rule and --rule (rows below, in their sections).

section = 'Unknown initializer names';
const NEAR_XAVIER =
  "Did you mean 'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)?";
add(
  'a slip of the keyboard',
  {layer: {kernelInitializer: 'XavierUniformCustm'}},
  err(
    'tfjs-initializers',
    'className',
    `unknown initializer 'XavierUniformCustm'. ${NEAR_XAVIER} ${NAME_RULE}`,
  ),
);
add(
  'the right letters in the wrong case',
  {layer: {kernelInitializer: 'xavieruniformcustom'}},
  err(
    'tfjs-initializers',
    'className',
    `unknown initializer 'xavieruniformcustom'. ${NEAR_XAVIER} ${NAME_RULE}`,
  ),
);
add(
  "Keras's snake_case name",
  {layer: {kernelInitializer: 'glorot_uniform'}},
  err(
    'tfjs-initializers',
    'className',
    `unknown initializer 'glorot_uniform'. Did you mean 'GlorotUniform' or 'glorotUniform' (tfjs)? ${NAME_RULE}`,
  ),
);
add(
  'a part of a name, in a config object',
  {layer: {kernelInitializer: {className: 'lecun', config: {}}}},
  err(
    'tfjs-initializers',
    'className',
    `unknown initializer 'lecun'. Did you mean one of: 'LecunNormal' or 'lecunNormal' ` +
      `(tfjs-initializers); 'LeCunNormal' or 'leCunNormal' (tfjs); 'LecunUniform' or ` +
      `'lecunUniform' (tfjs-initializers); 'LeCunUniform' or 'leCunUniform' (tfjs)? ${NAME_RULE}`,
  ),
);
add(
  'a name close to none',
  {layer: {biasInitializer: 'nothingLikeIt'}},
  err(
    'tfjs-initializers',
    'className',
    `unknown initializer 'nothingLikeIt'. No registered initializer name is close to it. ${NAME_RULE}`,
  ),
);

// ---------------------------------------------------------------------------------------------
// tfjs's built-in names, fixed (useFixedBuiltins): reached through layer configs and saved models.

section = 'Fixed tfjs built-ins (after useFixedBuiltins())';
add(
  'minval > maxval',
  {builtin: 'RandomUniform', config: {minval: 1, maxval: 0}},
  err(
    'RandomUniform',
    'maxval',
    'option `minval` must not exceed `maxval`. Received: minval=1, maxval=0',
  ),
);
add(
  'minval NaN',
  {builtin: 'RandomUniform', config: {minval: NaN}},
  opt('RandomUniform', 'minval', 'a finite number', 'NaN'),
);
add(
  'negative stddev',
  {builtin: 'RandomNormal', config: {stddev: -1}},
  opt('RandomNormal', 'stddev', 'a finite number >= 0', '-1'),
);
add(
  'misspelt option',
  {builtin: 'RandomNormal', config: {stdev: 1}},
  err('RandomNormal', 'stdev', 'unknown option `stdev`. Allowed options: `mean`, `stddev`, `seed`'),
);
add(
  'stddev too small for the mean in float32',
  {builtin: 'TruncatedNormal', config: {mean: 1e30, stddev: 1}},
  err(
    'TruncatedNormal',
    'b',
    'the bounds must satisfy a < b (infinite allowed). Received: a=1e+30, b=1e+30',
  ),
);
add(
  'unknown distribution',
  {builtin: 'VarianceScaling', config: {distribution: 'gaussian'}},
  opt(
    'VarianceScaling',
    'distribution',
    "one of 'normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'",
    '"gaussian"',
  ),
);
add(
  'negative scale',
  {builtin: 'VarianceScaling', config: {scale: -1}},
  opt('VarianceScaling', 'scale', 'a finite number >= 0', '-1'),
);
add(
  'negative seed',
  {builtin: 'GlorotUniform', config: {seed: -1}},
  opt('GlorotUniform', 'seed', SEED, '-1'),
);
add(
  'a scale for a preset',
  {builtin: 'HeNormal', config: {scale: 2}},
  err(
    'HeNormal',
    'scale',
    'unknown option `scale`. Allowed options: `seed`, `inputAxes`, `outputAxes`',
  ),
);
add(
  'Keras 3 input_axes without output_axes',
  {builtin: 'VarianceScaling', config: {inputAxes: [0]}},
  err(
    'VarianceScaling',
    'outputAxes',
    'option `outputAxes` must be given with `inputAxes` (Keras 3 ' +
      'uses the two only together). Received: inputAxes=[0], ' +
      'outputAxes=null',
  ),
);
add(
  'Keras 3 output_axes without input_axes, on a preset',
  {builtin: 'GlorotNormal', config: {outputAxes: [1]}},
  err(
    'GlorotNormal',
    'inputAxes',
    'option `inputAxes` must be given with `outputAxes` (Keras 3 ' +
      'uses the two only together). Received: outputAxes=[1], ' +
      'inputAxes=null',
  ),
);
add(
  'Keras 3 input_axes naming an axis twice',
  {builtin: 'HeUniform', config: {inputAxes: [0, 0], outputAxes: [1]}},
  opt('HeUniform', 'inputAxes', AXES, '[0, 0]'),
);
add(
  'gain 0',
  {builtin: 'Orthogonal', config: {gain: 0}},
  opt('Orthogonal', 'gain', 'a finite number > 0', '0'),
);
add(
  'gain NaN',
  {builtin: 'Identity', config: {gain: NaN}},
  opt('Identity', 'gain', 'a finite number > 0', 'NaN'),
);

// ---------------------------------------------------------------------------------------------
// Functions.

section = 'Fans and gains: calculateGain, computeFans';
const GAIN_NAMES = [...NONLINEARITY_NAMES, 'leaky_relu'].join(', ');
add(
  'unknown nonlinearity',
  {call: 'calculateGain', args: ['swish']},
  opt('calculateGain', 'nonlinearity', `one of ${GAIN_NAMES}`, '"swish"'),
);
add(
  'nonlinearity not a string',
  {call: 'calculateGain', args: [3]},
  opt('calculateGain', 'nonlinearity', `one of ${GAIN_NAMES}`, '3'),
);
add(
  'a name of Object.prototype',
  {call: 'calculateGain', args: ['constructor']},
  opt('calculateGain', 'nonlinearity', `one of ${GAIN_NAMES}`, '"constructor"'),
);
add(
  'negative slope NaN',
  {call: 'calculateGain', args: ['leakyRelu', NaN]},
  opt('calculateGain', 'param', 'a finite number (the negative slope)', 'NaN'),
);
add(
  'rank 1',
  {call: 'computeFans', args: [[5]]},
  err(
    'computeFans',
    'shape',
    'fan-in and fan-out need a kernel of rank >= 2 (e.g. Dense ' +
      '[in, out]), or explicit `fanIn` and `fanOut` options. ' +
      'Received: shape=[5]',
  ),
);
add(
  'a zero dimension',
  {call: 'computeFans', args: [[3, 0]]},
  err(
    'computeFans',
    'shape',
    'every dimension of shape must be an integer >= 1. Received: shape=[3, 0]',
  ),
);
add(
  'a fractional dimension',
  {call: 'computeFans', args: [[2.5, 3]]},
  err(
    'computeFans',
    'shape',
    'every dimension of shape must be an integer >= 1. Received: shape=[2.5, 3]',
  ),
);
add(
  'shape not an array',
  {call: 'computeFans', args: ['3x4']},
  err('computeFans', 'shape', 'shape must be an array of integers >= 1. Received: shape="3x4"'),
);
add(
  'misspelt axis option',
  {call: 'computeFans', args: [[3, 4], {in_axis: 0}]},
  err(
    'computeFans',
    'in_axis',
    'unknown option `in_axis`. Allowed options: `inAxis`, `outAxis`, `batchAxis`, `inputAxes`, `outputAxes`',
  ),
);
add(
  'fractional axis',
  {call: 'computeFans', args: [[3, 4], {inAxis: 0.5}]},
  opt('computeFans', 'inAxis', AXES, '0.5'),
);
add(
  'an axis the shape lacks',
  {call: 'computeFans', args: [[3, 4], {outAxis: 2}]},
  err(
    'computeFans',
    'outAxis',
    'option `outAxis` must name axes of shape=[3, 4]: integers in [-2, 1]. Received: outAxis=2',
  ),
);
add(
  'inAxis = outAxis',
  {call: 'computeFans', args: [[3, 4, 5], {inAxis: [0, 1], outAxis: 1}]},
  err(
    'computeFans',
    'outAxis',
    'options `inAxis` and `outAxis` both name axis 1: an axis is ' +
      'an input, an output or a batch axis, not two. Received: ' +
      'inAxis=[0, 1], outAxis=1',
  ),
);
add(
  'JAX and Keras 3 axes together',
  {call: 'computeFans', args: [[3, 4], {batchAxis: [], inputAxes: [0], outputAxes: [1]}]},
  err(
    'computeFans',
    'inputAxes',
    "options `inAxis`, `outAxis`, `batchAxis` (JAX's rule) and " +
      "`inputAxes`, `outputAxes` (Keras 3's rule) cannot be " +
      'combined. Received: batchAxis=[], inputAxes=[0]',
  ),
);

section = 'Seeds: setSeed, deriveSeed, withSeed';
add(
  'negative seed',
  {call: 'setSeed', args: [-1]},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=-1',
  ),
);
add(
  'fractional seed',
  {call: 'setSeed', args: [0.5]},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=0.5',
  ),
);
add(
  'seed above 2^53 − 1',
  {call: 'setSeed', args: [2 ** 53]},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=9007199254740992',
  ),
);
add(
  'seed as a string',
  {call: 'setSeed', args: ['42']},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed="42"',
  ),
);
add(
  'no seed',
  {call: 'setSeed', args: []},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=undefined',
  ),
);
add(
  'seed a bigint',
  {call: 'setSeed', args: [1n]},
  err(
    'setSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=1n (a bigint, not a number)',
  ),
);
add(
  'negative base',
  {call: 'deriveSeed', args: [-1, 0]},
  err(
    'deriveSeed',
    'base',
    'argument `base` must be an integer in [0, 9007199254740991]. Received: base=-1',
  ),
);
add(
  'fractional draw index',
  {call: 'deriveSeed', args: [1, 0.5]},
  err(
    'deriveSeed',
    'k',
    'argument `k` must be an integer in [0, 9007199254740991]. Received: k=0.5',
  ),
);
add(
  'seed NaN',
  {call: 'withSeed', args: [NaN, described('() => buildModel()', () => 0)]},
  err(
    'withSeed',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=NaN',
  ),
);
add(
  'build not a function',
  {call: 'withSeed', args: [1, 'build']},
  err('withSeed', 'build', 'argument `build` must be a synchronous function. Received: "build"'),
);
add(
  'an async build',
  {call: 'withSeed', args: [1, described('async () => buildModel()', async () => 0)]},
  err(
    'withSeed',
    'build',
    'argument `build` returned a promise; it must be ' +
      'synchronous, because draws after an `await` would come from ' +
      'whatever stream is current then. Await your data first, ' +
      'then build inside withSeed',
  ),
);

section = 'Samplers: fillUniform, fillNormal, fillTruncNormal, fillOrthogonal';
const f32 = (n: number): Shown => described(`new Float32Array(${n})`, new Float32Array(n));
add(
  'out not a Float32Array',
  {call: 'fillUniform', args: [[0, 0], 1, 0, 0, 1]},
  err('fillUniform', 'out', 'argument `out` must be a Float32Array. Received: [0, 0]'),
);
add(
  'negative seed',
  {call: 'fillUniform', args: [f32(4), -1, 0, 0, 1]},
  err(
    'fillUniform',
    'seed',
    'argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=-1',
  ),
);
add(
  'stream above 65535',
  {call: 'fillUniform', args: [f32(4), 1, 65536, 0, 1]},
  err(
    'fillUniform',
    'stream',
    'argument `stream` must be an integer in [0, 65535]. Received: stream=65536',
  ),
);
add(
  'negative offset',
  {call: 'fillUniform', args: [f32(4), 1, 0, 0, 1, -1]},
  err(
    'fillUniform',
    'offset',
    'argument `offset` must be an integer >= 0 with offset + out.length <= 2^32. Received: offset=-1, out.length=4',
  ),
);
add(
  'low NaN',
  {call: 'fillUniform', args: [f32(4), 1, 0, NaN, 1]},
  err('fillUniform', 'low', 'argument `low` must be a finite number. Received: low=NaN'),
);
add(
  'high below low',
  {call: 'fillUniform', args: [f32(4), 1, 0, 1, 0]},
  err('fillUniform', 'high', 'argument `high` must be a finite number >= 1. Received: high=0'),
);
add(
  'bounds ±1e300 (their width overflows)',
  {call: 'fillUniform', args: [f32(4), 1, 0, -1e300, 1e300]},
  err(
    'fillUniform',
    'low',
    'argument `low` must be at most 1e36 in magnitude (larger values overflow float32). Received: low=-1e+300',
  ),
);
add(
  'negative std',
  {call: 'fillNormal', args: [f32(4), 1, 0, 0, -1]},
  err('fillNormal', 'std', 'argument `std` must be a finite number >= 0. Received: std=-1'),
);
add(
  'mean 1e37',
  {call: 'fillNormal', args: [f32(4), 1, 0, 1e37, 1]},
  err(
    'fillNormal',
    'mean',
    'argument `mean` must be at most 1e36 in magnitude (larger values overflow float32). Received: mean=1e+37',
  ),
);
add(
  'a ≥ b',
  {call: 'fillTruncNormal', args: [f32(4), 1, 0, 0, 1, 2, -2]},
  err(
    'fillTruncNormal',
    'b',
    'the bounds must satisfy a < b (infinite allowed). Received: a=2, b=-2',
  ),
);
add(
  'bound NaN',
  {call: 'fillTruncNormal', args: [f32(4), 1, 0, 0, 1, NaN, 2]},
  err(
    'fillTruncNormal',
    'b',
    'the bounds must satisfy a < b (infinite allowed). Received: a=NaN, b=2',
  ),
);
add(
  'all the mass within a float32 rounding step of a',
  {call: 'fillTruncNormal', args: [f32(4), 1, 0, 0, 1, 1e30, 1e36]},
  err(
    'fillTruncNormal',
    'b',
    'no float32 value of N(mean, std²) on [a, b] could be drawn ' +
      '(the mass lies closer to a bound than float32 can resolve). ' +
      'Received: mean=0, std=1, a=1e+30, b=1e+36',
  ),
);
add(
  'rows 0',
  {call: 'fillOrthogonal', args: [f32(4), 0, 4, 1, 1]},
  arg('fillOrthogonal', 'rows', 'an integer >= 1', '0'),
);
add(
  'out shorter than rows·cols',
  {call: 'fillOrthogonal', args: [f32(4), 3, 4, 1, 1]},
  err(
    'fillOrthogonal',
    'out',
    'argument `out` must hold rows·cols = 12 elements. Received: out.length=4',
  ),
);
add(
  'gain NaN',
  {call: 'fillOrthogonal', args: [f32(16), 4, 4, NaN, 1]},
  arg('fillOrthogonal', 'gain', 'a finite number', 'NaN'),
);
add(
  'negative seed',
  {call: 'fillOrthogonal', args: [f32(16), 4, 4, 1, -1]},
  arg('fillOrthogonal', 'seedValue', SEED, '-1'),
);
add(
  'offset past 2^32',
  {call: 'fillOrthogonal', args: [f32(16), 4, 4, 1, 1, 2 ** 32]},
  arg('fillOrthogonal', 'offset', 'an integer >= 0 with offset + rows·cols <= 2^32', '4294967296'),
);

section = 'Registry: register';
add(
  'not a class',
  {call: 'register', args: [null]},
  opt('register', 'cls', 'a subclass of BaseInitializer', 'null'),
);
add(
  'a class that is not an initializer',
  {
    call: 'register',
    args: [
      described(
        'class Foo {static className = "Foo"}',
        class Foo {
          static className = 'Foo';
        },
      ),
    ],
  },
  opt('register', 'cls', 'a subclass of BaseInitializer', 'a function'),
);

section = 'Model tools: reinitialize, lsuv, analyzeInitialization, inspectModel';
add(
  'not a model',
  {call: 'reinitialize', args: ['model']},
  opt('reinitialize', 'model', 'a tf.LayersModel (tf.sequential or tf.model)', '"model"'),
);
add(
  'negative seed',
  {call: 'reinitialize', args: [model('mlp'), {seed: -1}]},
  opt('reinitialize', 'seed', SEED, '-1'),
);
add(
  'misspelt option',
  {call: 'reinitialize', args: [model('mlp'), {sed: 1}]},
  err('reinitialize', 'sed', 'unknown option `sed`. Allowed options: `seed`'),
);
const DISPOSED_MODEL = 'a tf.LayersModel that is not disposed (one of its weights is)';
add(
  'a disposed model',
  {call: 'reinitialize', args: [disposedModel('mlp')]},
  {...opt('reinitialize', 'model', DISPOSED_MODEL, 'a Sequential named "'), prefix: true},
);
const LSUV = [model('mlp'), batch([8, 4])];
add(
  'not a model',
  {call: 'lsuv', args: [{}, batch([8, 4])]},
  opt('lsuv', 'model', 'a tf.LayersModel (tf.sequential or tf.model)', 'an object'),
);
add(
  'a disposed model',
  {call: 'lsuv', args: [disposedModel('mlp'), batch([8, 4])]},
  {...opt('lsuv', 'model', DISPOSED_MODEL, 'a Sequential named "'), prefix: true},
);
add(
  'tolerance 0',
  {call: 'lsuv', args: [...LSUV, {tolerance: 0}]},
  opt('lsuv', 'tolerance', 'a number in (0, 1)', '0'),
);
add(
  'maxIterations 0',
  {call: 'lsuv', args: [...LSUV, {maxIterations: 0}]},
  opt('lsuv', 'maxIterations', 'an integer >= 1', '0'),
);
add(
  'unknown measure',
  {call: 'lsuv', args: [...LSUV, {measure: 'post'}]},
  opt('lsuv', 'measure', "'preActivation' or 'output'", '"post"'),
);
add(
  'orthogonal not a boolean',
  {call: 'lsuv', args: [...LSUV, {orthogonal: 'yes'}]},
  opt('lsuv', 'orthogonal', 'a boolean', '"yes"'),
);
add(
  'fractional seed',
  {call: 'lsuv', args: [...LSUV, {seed: 1.5}]},
  opt('lsuv', 'seed', SEED, '1.5'),
);
add(
  'onLayer not a function',
  {call: 'lsuv', args: [...LSUV, {onLayer: 'log'}]},
  opt('lsuv', 'onLayer', 'a function', '"log"'),
);
add(
  'misspelt option',
  {call: 'lsuv', args: [...LSUV, {tol: 0.1}]},
  err(
    'lsuv',
    'tol',
    'unknown option `tol`. Allowed options: `tolerance`, `maxIterations`, `measure`, `orthogonal`, `seed`, `onLayer`',
  ),
);
add(
  'batch not a tensor',
  {call: 'lsuv', args: [model('mlp'), [[1, 2, 3, 4]]]},
  opt(
    'lsuv',
    'batch',
    'a tf.Tensor, or an array of them (one per model input), not disposed',
    '[[1, 2, 3, 4]]',
  ),
);
add(
  'one tensor too many',
  {call: 'lsuv', args: [model('mlp'), [batch([8, 4]), batch([8, 4])]]},
  err('lsuv', 'batch', 'the model has 1 input. Received: 2 tensors'),
);
add(
  'no Dense or Conv layer',
  {call: 'lsuv', args: [model('flat'), batch([8, 2, 2])]},
  err(
    'lsuv',
    'model',
    'the model has no layer LSUV initializes (Dense, Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv3DTranspose)',
  ),
);
const ANALYZE = [model('mlp'), batch([8, 4])];
add(
  'not a model',
  {call: 'analyzeInitialization', args: [null, batch([8, 4])]},
  opt('analyzeInitialization', 'model', 'a tf.LayersModel (tf.sequential or tf.model)', 'null'),
);
add(
  'bins 1',
  {call: 'analyzeInitialization', args: [...ANALYZE, {bins: 1}]},
  opt('analyzeInitialization', 'bins', 'an integer in [2, 1000]', '1'),
);
add(
  'unknown loss',
  {call: 'analyzeInitialization', args: [...ANALYZE, {loss: 'hinge'}]},
  opt(
    'analyzeInitialization',
    'loss',
    "'categoricalCrossentropy', 'binaryCrossentropy' or 'meanSquaredError'",
    '"hinge"',
  ),
);
add(
  'negative seed',
  {call: 'analyzeInitialization', args: [...ANALYZE, {seed: -1}]},
  opt('analyzeInitialization', 'seed', SEED, '-1'),
);
add(
  'training not a boolean',
  {call: 'analyzeInitialization', args: [...ANALYZE, {training: 1}]},
  opt('analyzeInitialization', 'training', 'true or false', '1'),
);
add(
  'labels not tensors',
  {call: 'analyzeInitialization', args: [...ANALYZE, {labels: [[0, 1]]}]},
  opt(
    'analyzeInitialization',
    'labels',
    'a tf.Tensor, or an array of them (one per model output)',
    '[[0, 1]]',
  ),
);
add(
  'threshold ratio 1',
  {call: 'analyzeInitialization', args: [...ANALYZE, {thresholds: {ratio: 1}}]},
  opt('analyzeInitialization', 'thresholds.ratio', 'a finite number > 1', '1'),
);
add(
  'misspelt threshold',
  {call: 'analyzeInitialization', args: [...ANALYZE, {thresholds: {deadUnits: 0.5}}]},
  err(
    'analyzeInitialization',
    'deadUnits',
    'unknown option `deadUnits`. Allowed options: `ratio`, `perLayer`, `dead`, `saturated`',
  ),
);
add(
  'misspelt option',
  {call: 'analyzeInitialization', args: [...ANALYZE, {bin: 20}]},
  err(
    'analyzeInitialization',
    'bin',
    'unknown option `bin`. Allowed options: `labels`, `loss`, `seed`, `training`, `weights`, ' +
      '`groups`, `bins`, `thresholds`, `onProgress`',
  ),
);
add(
  'batch of the wrong count',
  {call: 'analyzeInitialization', args: [model('mlp'), []]},
  err('analyzeInitialization', 'batch', 'the model has 1 input. Received: 0 tensors'),
);
add(
  'not a model',
  {call: 'planAnalysis', args: [null, batch([8, 4])]},
  opt('planAnalysis', 'model', 'a tf.LayersModel (tf.sequential or tf.model)', 'null'),
);
add(
  'training not a boolean',
  {call: 'planAnalysis', args: [...ANALYZE, {training: 'yes'}]},
  opt('planAnalysis', 'training', 'true or false', '"yes"'),
);
add(
  'misspelt option',
  {call: 'planAnalysis', args: [...ANALYZE, {train: true}]},
  err('planAnalysis', 'train', 'unknown option `train`. Allowed options: `training`, `seed`'),
);
add(
  'not an object',
  {call: 'inspectModel', args: ['model.json']},
  err(
    'inspectModel',
    'model.json',
    'expected a JSON object (a tfjs model.json or a model topology)',
  ),
);
add(
  'no topology',
  {call: 'inspectModel', args: [{weightsManifest: []}]},
  err(
    'inspectModel',
    'modelTopology',
    'modelTopology: missing: expected `modelTopology`, a tfjs ' +
      'LayersModel topology with `class_name` and `config` (as ' +
      'model.save writes it)',
  ),
);
add(
  'a model without a layer list',
  {call: 'inspectModel', args: [{class_name: 'Sequential', config: {name: 'm'}}]},
  err(
    'inspectModel',
    'config.layers',
    "config.layers: must be the model's list of layers. Received: undefined",
  ),
);

section = 'Model tools: applyInitializers (initialize a model by rule)';
const AI = 'applyInitializers';
const ROLES =
  "'kernel', 'recurrent', 'depthwise', 'pointwise', 'bias', " +
  "'gamma', 'beta', 'movingMean', 'movingVariance', " +
  "'embeddings', 'alpha'";
const SPEC =
  'an initializer instance, a registered initializer name, or a {className, config} object';
const rules = (...list: unknown[]): unknown[] => [model('mlp'), list];
add(
  'not a model',
  {call: AI, args: [null, [{initializer: 'zeros'}]]},
  opt(AI, 'model', 'a tf.LayersModel (tf.sequential or tf.model)', 'null'),
);
add(
  'no rules',
  {call: AI, args: [model('mlp'), []]},
  opt(AI, 'rules', 'a non-empty array of rules, or a function', '[]'),
);
add(
  'rules neither an array nor a function',
  {call: AI, args: [model('mlp'), {layer: 'Dense', initializer: 'zeros'}]},
  opt(AI, 'rules', 'a non-empty array of rules, or a function', 'an object'),
);
add(
  'a rule as a string (the CLI syntax)',
  {call: AI, args: rules('Dense.kernel=zeros')},
  opt(AI, 'rules[0]', 'an object {layer?, weight?, initializer}', '"Dense.kernel=zeros"'),
);
add(
  'misspelt rule key',
  {call: AI, args: rules({lyer: 'Dense', initializer: 'zeros'})},
  err(
    AI,
    'rules[0].lyer',
    'rules[0]: unknown option `lyer`. Allowed options: `layer`, `weight`, `initializer`',
  ),
);
add(
  'layer neither a string nor a RegExp',
  {call: AI, args: rules({layer: 3, initializer: 'zeros'})},
  opt(AI, 'rules[0].layer', 'a layer class name or layer name (a string), or a RegExp', '3'),
);
add(
  'a weight name instead of its role',
  {call: AI, args: rules({weight: 'recurrent_kernel', initializer: 'zeros'})},
  opt(
    AI,
    'rules[0].weight',
    `'recurrent' (the role of weights named 'recurrent_kernel'); roles: ${ROLES}`,
    '"recurrent_kernel"',
  ),
);
add(
  'an unknown role',
  {call: AI, args: rules({weight: 'weights', initializer: 'zeros'})},
  opt(AI, 'rules[0].weight', `a weight role: ${ROLES}`, '"weights"'),
);
add(
  'no initializer',
  {call: AI, args: rules({layer: 'Dense'})},
  opt(AI, 'rules[0].initializer', SPEC, 'undefined'),
);
add(
  'an unknown initializer name',
  {call: AI, args: rules({weight: 'kernel', initializer: 'XavierUniform'})},
  err(
    AI,
    'rules[0].initializer',
    `rules[0] (*.kernel=XavierUniform): unknown initializer 'XavierUniform'. Did you mean one of: ` +
      `'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers); 'Uniform' or 'uniform' ` +
      `(tfjs-initializers)? ${NAME_RULE}`,
  ),
);
add(
  'a bad option of the initializer',
  {
    call: AI,
    args: rules({
      weight: 'kernel',
      initializer: {className: 'XavierUniformCustom', config: {gain: -1}},
    }),
  },
  err(
    AI,
    'rules[0].initializer',
    'rules[0] (*.kernel=XavierUniformCustom{"gain":-1}): ' +
      'XavierUniformCustom: option `gain` must be a finite number ' +
      '> 0. Received: gain=-1',
  ),
);
add(
  'an instance of an unregistered class',
  {
    call: AI,
    args: rules({
      initializer: described(
        "new (class extends XavierUniformCustom {static className = 'MineUnregistered'})()",
        new (class extends api.XavierUniformCustom {
          static override className = 'MineUnregistered';
        })(),
      ),
    }),
  },
  err(
    AI,
    'rules[0].initializer',
    "rules[0] (*=MineUnregistered): the initializer's class " +
      "'MineUnregistered' is not registered with tf.serialization, " +
      'so a saved model could not name it; register it (register() ' +
      'for subclasses of BaseInitializer)',
  ),
);
add(
  'a layer the model does not have',
  {call: AI, args: rules({layer: 'Conv2D', initializer: 'zeros'})},
  err(
    AI,
    'rules[0].layer',
    'rules[0] (Conv2D=zeros) matches no layer with weights in the model (their classes: Dense)',
  ),
);
add(
  'a role the layer class does not have',
  {call: AI, args: rules({layer: 'Dense', weight: 'gamma', initializer: 'ones'})},
  err(
    AI,
    'rules[0].weight',
    'rules[0] (Dense.gamma=ones): the layers it matches have no ' +
      "weight with role 'gamma' (their roles: 'kernel', 'bias')",
  ),
);
add(
  'a rule after a more general one',
  {call: AI, args: rules({initializer: 'zeros'}, {weight: 'bias', initializer: 'ones'})},
  err(
    AI,
    'rules[1]',
    'rules[1] (*.bias=ones) never applies: every weight it ' +
      'matches is taken by an earlier rule (rules[0]); put the ' +
      'more specific rule first',
  ),
);
add(
  'a scheme that cannot fill the shape (Dirac on a Dense kernel)',
  {call: AI, args: rules({layer: 'Dense', weight: 'kernel', initializer: 'Dirac'})},
  {
    ...err(AI, 'rules[0]', "rules[0] (Dense.kernel=Dirac) cannot initialize weight '"),
    prefix: true,
  },
);
add(
  'different initializers for the two directions of a Bidirectional',
  {
    call: AI,
    args: [model('bilstm'), [{layer: /^forward_/, weight: 'kernel', initializer: 'zeros'}]],
  },
  {...err(AI, 'rules[0]', "rules[0] (/^forward_/.kernel=zeros) gives weights '"), prefix: true},
);
add(
  'a change tfjs would not reload (SeparableConv2D pointwise ≠ depthwise)',
  {call: AI, args: [model('sepconv'), [{weight: 'pointwise', initializer: 'ones'}]]},
  {
    ...err(
      AI,
      'rules[0]',
      'rules[0] (*.pointwise=ones): a model saved after this change would reload weight ',
    ),
    prefix: true,
  },
);
add(
  'a function returning something else',
  {call: AI, args: [model('mlp'), described('() => 42', () => 42)]},
  {...err(AI, 'rules', "the function's result for weight '"), prefix: true},
);
add(
  'negative seed',
  {call: AI, args: [...rules({initializer: 'zeros'}), {seed: -1}]},
  opt(AI, 'seed', SEED, '-1'),
);
add(
  'misspelt option',
  {call: AI, args: [...rules({initializer: 'zeros'}), {sed: 1}]},
  err(AI, 'sed', 'unknown option `sed`. Allowed options: `seed`, `unmatched`'),
);
add(
  'unmatched neither keep nor reinitialize',
  {call: AI, args: [...rules({initializer: 'zeros'}), {unmatched: 'drop'}]},
  opt(AI, 'unmatched', "'keep' or 'reinitialize'", '"drop"'),
);

section = 'In-place functions (PyTorch style)';
add(
  'a plain tensor (immutable)',
  {call: 'uniform_', args: [zerosTensor([3, 4])]},
  opt(
    'uniform_',
    'tensor',
    'a tf.Variable or a layer weight (LayerVariable); tfjs tensors are immutable',
    'a float32 tensor of shape [3, 4]',
  ),
);
add(
  'a disposed variable',
  {call: 'xavierUniform_', args: [disposedVariable([3, 4])]},
  opt(
    'xavierUniform_',
    'tensor',
    'a tf.Variable or a layer weight (LayerVariable) that is not disposed',
    'a float32 tensor of shape [3, 4]',
  ),
);
add(
  'b NaN',
  {call: 'uniform_', args: [variable([3, 4]), 0, NaN]},
  opt('Uniform', 'high', 'a finite number', 'NaN'),
);
add(
  'a > b',
  {call: 'uniform_', args: [variable([3, 4]), 1, 0]},
  err('Uniform', 'high', 'option `low` must be less than `high`. Received: low=1, high=0'),
);
add(
  'misspelt seed option',
  {call: 'uniform_', args: [variable([3, 4]), 0, 1, {sed: 1}]},
  err('uniform_', 'sed', 'unknown option `sed`. Allowed options: `seed`'),
);
add(
  'an int32 variable',
  {call: 'normal_', args: [variable([3, 4], 'int32')]},
  err('Normal', 'dtype', `dtype must be ${FLOAT_ONLY}. Received: dtype="int32"`),
);
add(
  'negative std',
  {call: 'truncNormal_', args: [variable([3, 4]), 0, -1]},
  opt('TruncNormal', 'std', 'a finite number > 0', '-1'),
);
add(
  'bound NaN (±Infinity are allowed)',
  {call: 'truncNormal_', args: [variable([3, 4]), 0, 1, NaN, 2]},
  opt('TruncNormal', 'a', 'a number (±Infinity allowed)', 'NaN'),
);
add(
  'val NaN',
  {call: 'constant_', args: [variable([3, 4]), NaN]},
  arg('constant_', 'val', 'a finite number', 'NaN'),
);
add(
  'val Infinity',
  {call: 'constant_', args: [variable([3, 4]), Infinity]},
  arg('constant_', 'val', 'a finite number', 'Infinity'),
);
add(
  'not a weight',
  {call: 'ones_', args: ['w']},
  opt(
    'ones_',
    'tensor',
    'a tf.Variable or a layer weight (LayerVariable); tfjs tensors are immutable',
    '"w"',
  ),
);
add(
  'null',
  {call: 'zeros_', args: [null]},
  opt(
    'zeros_',
    'tensor',
    'a tf.Variable or a layer weight (LayerVariable); tfjs tensors are immutable',
    'null',
  ),
);
add(
  'rank 3',
  {call: 'eye_', args: [variable([2, 3, 4])]},
  err('Eye', 'shape', 'needs a matrix [rows, cols] (rank 2). Received: shape=[2, 3, 4]'),
);
add('a Dense kernel', {call: 'dirac_', args: [variable([3, 4])]}, CONV_RANK('Dirac', '[3, 4]', 2));
add(
  'groups 0',
  {call: 'dirac_', args: [variable([3, 3, 4, 4]), 0]},
  opt('Dirac', 'groups', 'an integer >= 1', '0'),
);
add(
  'rank 1',
  {call: 'xavierUniform_', args: [variable([5])]},
  FAN_RANK('XavierUniformCustom', '[5]'),
);
add(
  'gain 0',
  {call: 'xavierNormal_', args: [variable([3, 4]), 0]},
  opt('XavierNormal', 'gain', 'a finite number > 0', '0'),
);
add(
  'options object and positional arguments',
  {call: 'kaimingUniform_', args: [variable([3, 4]), {mode: 'fanOut'}, 'fanIn']},
  err(
    'kaimingUniform_',
    'args',
    'give either an options object or positional arguments, not both. Received: ["fanIn", undefined, undefined]',
  ),
);
add(
  'mode in snake_case',
  {call: 'kaimingNormal_', args: [variable([3, 4]), 0, 'fan_out']},
  opt('KaimingNormal', 'mode', "one of 'fanIn', 'fanOut'", '"fan_out"'),
);
add(
  'rank 1',
  {call: 'orthogonal_', args: [variable([5])]},
  RANK('OrthogonalInitializer', 2, '[5]', 1),
);
add(
  'misspelt option',
  {call: 'orthogonal_', args: [variable([4, 4]), 1, {gate: 4}]},
  err(
    'orthogonal_',
    'gate',
    'unknown option `gate`. Allowed options: `seed`, `gates`, `columnAxis`',
  ),
);
add(
  'sparsity above 1',
  {call: 'sparse_', args: [variable([3, 4]), 1.5]},
  opt('SparseInit', 'sparsity', 'a number in [0, 1]', '1.5'),
);
add(
  'more input than output channels',
  {call: 'deltaOrthogonal_', args: [variable([3, 3, 8, 4])]},
  err(
    'DeltaOrthogonal',
    'shape',
    'needs inChannels <= outChannels (an orthogonal [in, out] ' +
      'centre with orthonormal rows). Received: shape=[3, 3, 8, 4] ' +
      '(in 8 > out 4)',
  ),
);
add(
  'an even conv kernel',
  {call: 'zerO_', args: [variable([2, 2, 3, 3])]},
  err(
    'ZerO',
    'shape',
    'ZerO on convolutions (Algorithm 2) is defined for odd kernel sizes only. Received: shape=[2, 2, 3, 3]',
  ),
);

// ---------------------------------------------------------------------------------------------
// Untrusted model files.

section = 'validateModelJSON: hostile and corrupted model.json';
const V = 'validateModelJSON';
const L0 = 'modelTopology.config.layers[0]';
const parsed = (name: string): Shown => described(`<${name}>`, JSON.parse(HOSTILE[name].text));
const modelJson = (input: string, name: string, error: Expected): void =>
  add(`${input} (${name})`, {call: V, args: [parsed(name)]}, error);
const at = (path: string, text: string): Expected => err(V, path, `${path}: ${text}`);
modelJson(
  'a `__proto__` key',
  'proto-key',
  at(
    `${L0}.config.__proto__`,
    'the key "__proto__" is refused: it names ' +
      '`Object.prototype.__proto__` and could replace or shadow it ' +
      'where tfjs copies configs',
  ),
);
modelJson(
  'a `constructor` key',
  'constructor-key',
  at(
    `${L0}.config.kernel_initializer.config.constructor`,
    'the key "constructor" is refused: it names ' +
      '`Object.prototype.constructor` and could replace or shadow ' +
      'it where tfjs copies configs',
  ),
);
modelJson(
  'class name `constructor`',
  'constructor-class',
  at(
    `${L0}.class_name`,
    'the string "constructor" is refused: it names ' +
      '`Object.prototype.constructor`, which tfjs would find by a ' +
      'lookup in a plain object',
  ),
);
modelJson(
  'class name `to_string`',
  'to-string-initializer',
  at(
    `${L0}.config.kernel_initializer.class_name`,
    'the string "to_string" is refused: it names ' +
      '`Object.prototype.toString`, which tfjs would find by a ' +
      'lookup in a plain object',
  ),
);
modelJson(
  '`units` a string',
  'units-string',
  at(`${L0}.config.units`, 'must be an integer >= 1. Received: "4"'),
);
modelJson(
  '`units` null',
  'units-null',
  at(`${L0}.config.units`, 'must be an integer >= 1. Received: null'),
);
modelJson(
  '`units` fractional',
  'units-fraction',
  at(`${L0}.config.units`, 'must be an integer >= 1. Received: 2.5'),
);
modelJson(
  '`units` 1e999',
  'units-infinite',
  at(`${L0}.config.units`, 'numbers must be finite. Received: Infinity'),
);
modelJson(
  '`units` 1e12',
  'units-huge',
  at(
    `${L0}.config.units`,
    '1000000000000 is more than the 2147483647 elements one weight may have (limit maxWeightElements)',
  ),
);
modelJson(
  'a 1e10-element kernel',
  'kernel-huge',
  at(
    'modelTopology',
    "layer 'dense' would create weight 'kernel' of shape " +
      '[100000, 100000]: 10000000000 elements, more than the ' +
      '2147483647 one weight may have (limit maxWeightElements)',
  ),
);
modelJson(
  '1.2e9 weights in all',
  'total-huge',
  at(
    'modelTopology',
    "layer 'dense1' would create weight 'kernel' of shape " +
      '[20000, 20000], which brings the model to 800020000 ' +
      'elements, more than the 536870912 allowed (limit ' +
      'maxTotalElements)',
  ),
);
modelJson(
  'an input of 1e12 elements',
  'input-shape-huge',
  at(
    `${L0}.config.batch_input_shape`,
    '[1000000, 1000000] has 1000000000000 elements (unknown ' +
      'dimensions counted as 1), more than the 2147483647 one ' +
      'tensor may have (limit maxWeightElements)',
  ),
);
modelJson(
  'stateful RNN states of 2e10 elements',
  'stateful-huge',
  at(
    'modelTopology',
    "stateful layer 'lstm' would create state tensors of shapes [[10000000, 1000], " +
      '[10000000, 1000]]: one has 10000000000 elements, more than the 2147483647 one tensor ' +
      'may have (limit maxWeightElements)',
  ),
);
modelJson(
  'stateful StackedRNNCells: states of every cell counted',
  'stacked-stateful',
  at(
    'modelTopology',
    "stateful layer 'rnn' would create state tensors of shapes [[100000, 1], [100000, 1], " +
      '[100000, 5000], [100000, 5000]], which brings the model to 1100260008 elements, more ' +
      'than the 536870912 allowed (limit maxTotalElements)',
  ),
);
modelJson(
  '`stateful` truthy but not true',
  'stateful-truthy',
  at(
    `${L0}.config.stateful`,
    'must be true or false: tfjs takes any truthy value for true. Received: 1',
  ),
);
const G2 = 'modelTopology.config.layers[2].inbound_nodes[0][0]';
modelJson(
  'a functional model that names a missing layer',
  'graph-missing-layer',
  at(G2, 'names layer "nosuch", which the model does not have: tfjs would wait for it forever'),
);
modelJson(
  'a functional model with a cycle',
  'graph-cycle',
  at(
    'modelTopology.config.layers[1].inbound_nodes[0][0]',
    'layer "a" takes input from node 0 of "b", a layer that only has 0 node(s) once every ' +
      'call that can run has run (a cycle, or a node index too large); tfjs would wait for it ' +
      'forever',
  ),
);
modelJson(
  'a functional model with a self-loop',
  'graph-self-loop',
  at(
    G2,
    'layer "b" takes input from node 0 of "b", its own layer: a layer cannot take its input ' +
      'from itself; tfjs would wait for it forever',
  ),
);
modelJson(
  'a functional model that names a node that never exists',
  'graph-node-index',
  at(
    G2,
    'layer "b" takes input from node 5 of "a", a layer that only has 1 node(s) once every ' +
      'call that can run has run (a cycle, or a node index too large); tfjs would wait for it ' +
      'forever',
  ),
);
modelJson(
  'two layers with one name',
  'duplicate-names',
  at(
    'modelTopology.config.layers[1].config.name',
    'two layers of one model are named "dense" (also modelTopology.config.layers[0]): tfjs ' +
      "would save both layers' weights under one name, so the model could not be loaded " +
      'again; give each layer its own name',
  ),
);
modelJson(
  'optimizer weights an SGD optimizer cannot take',
  'optimizer-sgd-weights',
  at(
    'weightsManifest[0].weights[4].group',
    "tfjs's SGD optimizer takes its iteration count and then nothing else, but the file " +
      'holds 2 more optimizer weight(s); tfjs would fail after loading every model weight',
  ),
);
modelJson(
  'a reserved name at the end of a long flat array',
  'metadata-flat-array',
  at(
    'userDefinedMetadata.values[20000]',
    'the string "__proto__" is refused: it names `Object.prototype.__proto__`, which tfjs ' +
      'would find by a lookup in a plain object',
  ),
);
modelJson(
  'a seed string',
  'seed-string',
  at(
    `${L0}.config.kernel_initializer.config`,
    `XavierUniformCustom: option \`seed\` must be ${SEED}. Received: seed="7"`,
  ),
);
modelJson(
  "a non-number option of tfjs's own initializer",
  'builtin-nan-scale',
  at(
    `${L0}.config.kernel_initializer.config.scale`,
    "tfjs's VarianceScaling needs a finite number >= 0 of " +
      'magnitude <= 1e36 here (it does not check, and hangs or ' +
      'fills NaN otherwise). Received: [846069, 254374]',
  ),
);
modelJson(
  'a scheme that cannot fill the weight it is given',
  'bias-rank',
  at(
    'modelTopology',
    "layer 'dense' would create weight 'bias' of shape [4]: " +
      'XavierUniformCustom: fan-in and fan-out need a kernel of ' +
      'rank >= 2 (e.g. Dense [in, out]), or explicit `fanIn` and ' +
      '`fanOut` options. Received: shape=[4]',
  ),
);
modelJson(
  'a layer class where an initializer belongs',
  'layer-as-initializer',
  at(
    'modelTopology',
    "layer 'dense' would create weight 'kernel' of shape [3, 4], " +
      'but its initializer is Dense, which is not an initializer',
  ),
);
modelJson(
  'an unregistered layer class',
  'unknown-layer',
  at(
    `${L0}.class_name`,
    "unknown layer 'NoSuchLayer' (layer 'dense'): tfjs could not build the model from it (no " +
      'class of that name is registered with tf.serialization: import the package that defines ' +
      'it before loading)',
  ),
);
modelJson(
  "Keras 2's L2 regularizer",
  'keras-l2-regularizer',
  at(
    `${L0}.config.kernel_regularizer.class_name`,
    "unknown regularizer 'L2' in layer 'dense': tfjs could not build the model from it (tfjs " +
      "registers only 'L1L2' as a class: write {class_name: 'L1L2', config: {l1: 0, l2: <l2>}})",
  ),
);
modelJson(
  'a Keras 3 InputLayer',
  'keras3-input-layer',
  at(
    `${L0}.config.batch_shape`,
    'tfjs could not build the model from it: An InputLayer should be passed either a ' +
      "`batchInputShape` or an `inputShape`. Its InputLayer 'input_layer' has Keras 3's " +
      '`batch_shape`, which tfjs 4.x does not read (it reads `batch_input_shape`): a Keras 3 ' +
      'file, not a tfjs model.json',
  ),
);
modelJson(
  'a layer at the root',
  'not-a-model',
  at(
    'modelTopology.class_name',
    'must be Sequential, Model, Functional (a tfjs LayersModel). Received: "Dense"',
  ),
);
modelJson(
  'nesting 1000 deep',
  'deep-nesting',
  at(
    `userDefinedMetadata${'[0]'.repeat(13)}…${'[0]'.repeat(13)}`,
    'nested deeper than 100 levels (limit maxDepth)',
  ),
);
modelJson(
  'a manifest weight of 1e12 elements',
  'manifest-huge',
  at(
    'weightsManifest[0].weights[0].shape',
    "weight 'dense/kernel' has 1000000000000 elements, more than " +
      'the 2147483647 one weight may have (limit maxWeightElements)',
  ),
);
modelJson(
  'a manifest dtype float64',
  'manifest-dtype',
  at(
    'weightsManifest[0].weights[0].dtype',
    'must be one of float32, int32, bool, complex64. Received: "float64"',
  ),
);
modelJson(
  'a kernel saved transposed',
  'manifest-transposed',
  at(
    'weightsManifest[0].weights[0].shape',
    "weight 'dense/kernel' has shape [4, 3], but the model's weight has shape [3, 4]",
  ),
);
modelJson(
  'a weight listed twice',
  'manifest-duplicate',
  at(
    'weightsManifest[0].weights[2].name',
    "weight 'dense/bias' is listed twice (also at weightsManifest[0].weights[1])",
  ),
);
modelJson(
  'a weight left out',
  'manifest-missing',
  at('weightsManifest', "1 of the model's 2 weights are not in the manifest: 'dense/bias' [4]"),
);
modelJson(
  'an entry no weight has',
  'manifest-extra',
  at(
    'weightsManifest[0].weights[2].name',
    "weight 'dense/gamma' is not a weight of the model (it has dense/kernel, dense/bias)",
  ),
);
modelJson(
  "a dtype other than the weight's",
  'manifest-int-bias',
  at(
    'weightsManifest[0].weights[1].dtype',
    'weight \'dense/bias\' has dtype "int32", but the model\'s weight has dtype "float32"',
  ),
);
modelJson(
  'a quantization of null',
  'manifest-quantization-null',
  at(
    'weightsManifest[0].weights[0].quantization',
    "must be {dtype, scale, min} or {dtype: 'float16'}. Received: null",
  ),
);
modelJson(
  'a file named twice',
  'manifest-twice',
  at(
    'weightsManifest[0].paths[1]',
    'the file "weights.bin" is named twice (also at weightsManifest[0].paths[0])',
  ),
);
modelJson(
  'a loss tfjs does not know',
  'training-loss',
  at('trainingConfig', 'tfjs could not compile the model from it: Unknown loss noSuchLoss'),
);
modelJson(
  'metadata that is not an object',
  'metadata-string',
  at('userDefinedMetadata', 'must be a JSON object. Received: "x"'),
);
add(
  'more weights files than maxWeightFiles',
  {call: V, args: [parsed('manifest-twice'), {maxWeightFiles: 1}]},
  at(
    'weightsManifest[0].paths[1]',
    'the manifest names more than 1 weights files (limit maxWeightFiles)',
  ),
);
add(
  'NaN in a config (an object, not a file)',
  {
    call: V,
    args: [
      {
        modelTopology: {
          class_name: 'Sequential',
          config: {name: 'm', layers: [{class_name: 'Dense', config: {units: 4, rate: NaN}}]},
        },
      },
    ],
  },
  at(`${L0}.config.rate`, 'numbers must be finite. Received: NaN'),
);
add(
  'a function in a config',
  {
    call: V,
    args: [
      {
        modelTopology: {
          class_name: 'Sequential',
          config: {name: 'm', layers: [], build: described('() => {}', () => undefined)},
        },
      },
    ],
  },
  at('modelTopology.config.build', 'only JSON values are allowed. Received: a function (function)'),
);
add(
  'not an object',
  {call: V, args: ['{"modelTopology": {}}']},
  at(
    'model.json',
    'must be a JSON object (a tfjs model.json or a model topology). Received: "{\\"modelTopology\\": {}}"',
  ),
);
const NO_TOPOLOGY =
  'missing: expected `modelTopology`, a tfjs LayersModel ' +
  'topology with `class_name` and `config` (as ' +
  'model.save writes it)';
add('no topology', {call: V, args: [{format: 'layers-model'}]}, at('modelTopology', NO_TOPOLOGY));
add(
  'limit 0',
  {call: V, args: [{}, {maxTotalElements: 0}]},
  opt(V, 'maxTotalElements', 'an integer >= 1', '0'),
);
add(
  'misspelt limit',
  {call: V, args: [{}, {maxElements: 1e6}]},
  err(
    V,
    'maxElements',
    'unknown option `maxElements`. Allowed options: ' +
      '`maxWeightElements`, `maxTotalElements`, `maxLayers`, ' +
      '`maxDepth`, `maxWeightFiles`, `maxBuildSeconds`',
  ),
);
add(
  'build not a boolean',
  {call: V, args: [{}, {build: 'yes'}]},
  opt(V, 'build', 'true or false', '"yes"'),
);

section = 'loadLayersModelSafely, fileIO (Node)';
const hostileDir = (name: string): string => `__tests__/fixtures/hostile/${name}`;
const handler = (name: string): Shown =>
  described(`{load: async () => <${name}> artifacts}`, {
    load: async () => ({modelTopology: JSON.parse(HOSTILE[name].text).modelTopology}),
  });
add(
  'not a handler',
  {call: 'loadLayersModelSafely', args: [42]},
  opt(
    'loadLayersModelSafely',
    'source',
    'a URL string or a tfjs IOHandler with a load() method (fileIO(path), tf.io.http(url), ...)',
    '42',
  ),
);
add(
  'a URL no handler loads',
  {call: 'loadLayersModelSafely', args: ['nowhere://model.json']},
  err(
    'loadLayersModelSafely',
    'source',
    'no single tfjs IO handler loads "nowhere://model.json" ' +
      '(found 0); pass a handler, e.g. fileIO(path) or ' +
      'tf.io.http(url)',
  ),
);
add(
  'strict not a boolean',
  {call: 'loadLayersModelSafely', args: [handler('proto-key'), {strict: 'yes'}]},
  opt('loadLayersModelSafely', 'strict', 'true or false', '"yes"'),
);
add(
  'a handler that loads a hostile topology',
  {call: 'loadLayersModelSafely', args: [handler('constructor-class')]},
  at(
    `${L0}.class_name`,
    'the string "constructor" is refused: it names ' +
      '`Object.prototype.constructor`, which tfjs would find by a ' +
      'lookup in a plain object',
  ),
);
add(
  'weight data larger than its specs',
  {
    call: 'loadLayersModelSafely',
    args: [
      described(
        '{load: async () => ({modelTopology, weightSpecs /* 64 bytes */, weightData: new ArrayBuffer(4096)})}',
        {
          load: async () => {
            const json = JSON.parse(HOSTILE['weights-oversize'].text);
            return {
              modelTopology: json.modelTopology,
              weightSpecs: json.weightsManifest[0].weights,
              weightData: new ArrayBuffer(4096),
            };
          },
        },
      ),
    ],
  },
  err(
    'loadLayersModelSafely',
    'weightData',
    'the weight data has 4096 bytes, but its weight specs need exactly 64',
  ),
);
add(
  "a file:// URL (tfjs-node's handler reads files unchecked)",
  {call: 'loadLayersModelSafely', args: ['file://model/model.json']},
  err(
    'loadLayersModelSafely',
    'source',
    '"file://model/model.json" is a local file: pass ' +
      'fileIO(path) from tfjs-initializers/node, which checks the ' +
      'files before reading them',
  ),
);
add(
  'empty target',
  {call: 'fileIO', args: ['']},
  opt('fileIO', 'target', 'a directory or a path ending in .json', '""'),
);
add(
  'misspelt option',
  {call: 'fileIO', args: ['model', {weight: false}]},
  err(
    'fileIO',
    'weight',
    'unknown option `weight`. Allowed options: `weights`, `limits`, `allowedRoot`, `maxJsonBytes`, `allowHardLinks`',
  ),
);
add(
  'allowedRoot not a string',
  {call: 'fileIO', args: ['model', {allowedRoot: 42}]},
  opt('fileIO', 'allowedRoot', 'the path of an existing folder (a non-empty string)', '42'),
);
add(
  'maxJsonBytes 0',
  {call: 'fileIO', args: ['model', {maxJsonBytes: 0}]},
  opt('fileIO', 'maxJsonBytes', 'an integer >= 1', '0'),
);
add(
  'weights not a boolean',
  {call: 'fileIO', args: ['model', {weights: 'no'}]},
  opt('fileIO', 'weights', 'true or false', '"no"'),
);
add(
  'allowHardLinks not a boolean',
  {call: 'fileIO', args: ['model', {allowHardLinks: 1}]},
  opt('fileIO', 'allowHardLinks', 'true or false', '1'),
);
add(
  'a limit of 0',
  {call: 'fileIO', args: ['model', {limits: {maxLayers: 0}}]},
  opt('fileIO', 'maxLayers', 'an integer >= 1', '0'),
);
add(
  'malformed JSON',
  {load: '__tests__/fixtures/cli/malformed.json'},
  {
    ...err(
      'fileIO',
      'modelJSON',
      'model file __tests__/fixtures/cli/malformed.json: is not valid JSON: ',
    ),
    prefix: true,
  },
);
add(
  'a `__proto__` key',
  {load: hostileDir('proto-key')},
  at(
    `${L0}.config.__proto__`,
    'the key "__proto__" is refused: it names ' +
      '`Object.prototype.__proto__` and could replace or shadow it ' +
      'where tfjs copies configs',
  ),
);
add(
  'a 1e10-element kernel',
  {load: hostileDir('kernel-huge')},
  at(
    'modelTopology',
    "layer 'dense' would create weight 'kernel' of shape " +
      '[100000, 100000]: 10000000000 elements, more than the ' +
      '2147483647 one weight may have (limit maxWeightElements)',
  ),
);
const P0 = 'weightsManifest[0].paths[0]';
const weightsFile = (dir: string, name: string, reason: string): Expected =>
  err('fileIO', P0, `weights file ${JSON.stringify(name)} in ${dir} (${P0}): ${reason}`);
add(
  "a weights path with '..'",
  {load: hostileDir('manifest-escape')},
  weightsFile(
    hostileDir('manifest-escape'),
    '../../../outside.bin',
    "contains '..'; weights paths must stay below the model folder",
  ),
);
add(
  'an absolute weights path',
  {load: hostileDir('manifest-absolute')},
  weightsFile(
    hostileDir('manifest-absolute'),
    '/etc/hostname',
    'is an absolute path; weights paths are relative to the model folder',
  ),
);
add(
  'a NUL byte in a weights path',
  {load: hostileDir('manifest-nul')},
  weightsFile(hostileDir('manifest-nul'), 'weights.bin\u0000.txt', 'its name contains a NUL byte'),
);
add(
  'a weights path that names the folder',
  {load: hostileDir('manifest-folder')},
  weightsFile(hostileDir('manifest-folder'), '.', 'is a folder, not a regular file'),
);
add(
  'a weights file larger than the manifest declares',
  {load: hostileDir('weights-oversize')},
  err(
    'fileIO',
    'weightsManifest[0]',
    `weightsManifest[0]: its files ` +
      `in ${hostileDir('weights-oversize')} hold 4096 bytes ` +
      `("weights.bin": 4096), but its weights need exactly 64`,
  ),
);
add(
  'a weights file one byte short',
  {load: hostileDir('weights-short')},
  err(
    'fileIO',
    'weightsManifest[0]',
    `weightsManifest[0]: its files ` +
      `in ${hostileDir('weights-short')} hold 63 bytes ` +
      `("weights.bin": 63), but its weights need exactly 64`,
  ),
);
add(
  'a kernel saved transposed',
  {load: hostileDir('manifest-transposed')},
  at(
    'weightsManifest[0].weights[0].shape',
    "weight 'dense/kernel' has shape [4, 3], but the model's weight has shape [3, 4]",
  ),
);
const fsDir = (name: string): string => `${HOSTILE_FS_DIR}/${name}`;
add(
  'weights.bin a FIFO (built at test time)',
  {load: fsDir('fifo')},
  weightsFile(fsDir('fifo'), 'weights.bin', 'is a FIFO (named pipe), not a regular file'),
);
add(
  'weights.bin a link to /dev/zero (built at test time)',
  {load: fsDir('link-zero')},
  {
    ...weightsFile(fsDir('link-zero'), 'weights.bin', 'resolves to /dev/zero, outside '),
    prefix: true,
  },
);
add(
  'weights.bin a link to a file outside (built at test time)',
  {load: fsDir('link-outside')},
  {...weightsFile(fsDir('link-outside'), 'weights.bin', 'resolves to '), prefix: true},
);
add(
  'weights.bin a hard link to a file outside (built at test time)',
  {load: fsDir('hard-link')},
  {
    ...weightsFile(
      fsDir('hard-link'),
      'weights.bin',
      'has 2 hard links: its other names may lie outside ',
    ),
    prefix: true,
  },
);
add(
  'weights.bin a link to itself (built at test time)',
  {load: fsDir('link-loop')},
  weightsFile(
    fsDir('link-loop'),
    'weights.bin',
    'is a loop of symbolic links (or too many of them)',
  ),
);
add(
  'model.json a FIFO (built at test time)',
  {load: fsDir('json-fifo')},
  err(
    'fileIO',
    'modelJSON',
    `model file ${fsDir('json-fifo')}/model.json: is a FIFO (named pipe), not a regular file`,
  ),
);
add(
  'an allowedRoot that does not contain the model folder',
  {load: fsDir('fifo'), options: {allowedRoot: 'docs'}},
  {
    ...err('fileIO', 'allowedRoot', 'option `allowedRoot` must contain the model folder '),
    prefix: true,
  },
);
add(
  'a backend that does not exist',
  {call: 'selectBackend', args: [{force: 'gpu'}]},
  err(
    'selectBackend',
    'force',
    'option `force` must be one of tensorflow, wasm, cpu. Received: force=gpu',
  ),
);
add(
  'misspelt option',
  {call: 'selectBackend', args: [{forced: 'cpu'}]},
  err('selectBackend', 'forced', 'unknown option `forced`. Allowed options: `force`, `load`'),
);

// ---------------------------------------------------------------------------------------------
// The CLI: exit codes (src/cli/exit-codes.ts) and the last line it prints to stderr.

section = 'CLI: tfjs-init';
const healthy = '__tests__/fixtures/cli/healthy';
const cli = (input: string, argv: string[], exit: number, stderr: string, prefix = false): void =>
  add(input, {cli: argv}, prefix ? {exit, stderr, prefix: true} : {exit, stderr});
cli('unknown command', ['frobnicate'], 2, "error: unknown command 'frobnicate'");
cli('missing model argument', ['inspect'], 2, "error: missing required argument 'model'");
cli('unknown option', ['inspect', healthy, '--quiet'], 2, "error: unknown option '--quiet'");
cli(
  'unknown backend',
  ['--backend', 'gpu', 'inspect', healthy],
  2,
  'tfjs-init: --backend must be one of tensorflow, wasm, cpu. Received: gpu',
);
cli(
  'missing file',
  ['inspect', 'nothing/model.json'],
  3,
  'tfjs-init: model file not found: nothing/model.json',
);
cli(
  'model.json a FIFO (built at test time)',
  ['inspect', fsDir('json-fifo')],
  3,
  `tfjs-init: model file ${fsDir('json-fifo')}/model.json: is a FIFO (named pipe), not a regular file`,
);
cli(
  'an --allowed-root that does not exist',
  ['--allowed-root', 'nothing', 'inspect', healthy],
  2,
  'tfjs-init: --allowed-root must be an existing folder. Received: allowedRoot="nothing" (not found)',
);
cli(
  'malformed JSON',
  ['inspect', '__tests__/fixtures/cli/malformed.json'],
  4,
  'tfjs-init: model file __tests__/fixtures/cli/malformed.json: is not valid JSON: ',
  true,
);
cli(
  'not a model',
  ['inspect', '__tests__/fixtures/cli/not-a-model.json'],
  4,
  `tfjs-init: __tests__/fixtures/cli/not-a-model.json is not a ` +
    `tfjs LayersModel model.json: validateModelJSON: ` +
    `modelTopology: ${NO_TOPOLOGY}`,
);
cli(
  'a `__proto__` key',
  ['inspect', hostileDir('proto-key')],
  4,
  `tfjs-init: ${hostileDir('proto-key')}/model.json is not a ` +
    `tfjs LayersModel model.json: ` +
    `validateModelJSON: ${L0}.config.__proto__: the key ` +
    `"__proto__" is refused: it names ` +
    `\`Object.prototype.__proto__\` and could replace or shadow ` +
    `it where tfjs copies configs`,
);
cli(
  'class name `constructor`',
  ['inspect', hostileDir('constructor-class')],
  4,
  `tfjs-init: ${hostileDir('constructor-class')}/model.json is ` +
    `not a tfjs LayersModel model.json: ` +
    `validateModelJSON: ${L0}.class_name: the string ` +
    `"constructor" is refused: it names ` +
    `\`Object.prototype.constructor\`, which tfjs would find by ` +
    `a lookup in a plain object`,
);
cli(
  '`units` a string',
  ['doctor', hostileDir('units-string')],
  4,
  `tfjs-init: ${hostileDir('units-string')}/model.json is not ` +
    `a tfjs LayersModel model.json: ` +
    `validateModelJSON: ${L0}.config.units: must be an integer ` +
    `>= 1. Received: "4"`,
);
cli(
  'a 1e10-element kernel',
  ['doctor', hostileDir('kernel-huge')],
  4,
  `tfjs-init: ${hostileDir('kernel-huge')}/model.json cannot ` +
    `be loaded safely: validateModelJSON: modelTopology: layer ` +
    `'dense' would create weight 'kernel' of shape [100000, ` +
    `100000]: 10000000000 elements, more than the 2147483647 one ` +
    `weight may have (limit maxWeightElements)`,
);
cli(
  'a seed string',
  ['reinit', hostileDir('seed-string'), '--out', 'out'],
  4,
  `tfjs-init: ${hostileDir('seed-string')}/model.json is not a ` +
    `tfjs LayersModel model.json: ` +
    `validateModelJSON: ${L0}.config.kernel_initializer.config: ` +
    `XavierUniformCustom: option \`seed\` must be ${SEED}. ` +
    `Received: seed="7"`,
);
cli(
  'a weights file larger than the manifest',
  ['doctor', hostileDir('weights-oversize')],
  4,
  `tfjs-init: ${hostileDir('weights-oversize')}/model.json ` +
    `cannot be loaded safely: fileIO: weightsManifest[0]: its ` +
    `files in ${hostileDir('weights-oversize')} hold 4096 bytes ` +
    `("weights.bin": 4096), but its weights need exactly 64`,
);
cli(
  'a kernel saved transposed',
  ['doctor', hostileDir('manifest-transposed')],
  4,
  `tfjs-init: ${hostileDir('manifest-transposed')}/model.json ` +
    `cannot be loaded safely: validateModelJSON: ` +
    `weightsManifest[0].weights[0].shape: weight 'dense/kernel' ` +
    `has shape [4, 3], but the model's weight has shape [3, 4]`,
);
cli(
  'weights.bin a FIFO (built at test time)',
  ['reinit', fsDir('fifo'), '--out', 'out'],
  4,
  `tfjs-init: ${fsDir('fifo')}/model.json cannot be loaded ` +
    `safely: fileIO: weights file "weights.bin" ` +
    `in ${fsDir('fifo')} (weightsManifest[0].paths[0]): is a ` +
    `FIFO (named pipe), not a regular file`,
);
cli(
  '--out onto the folder the model is read from',
  ['reinit', healthy, '--out', healthy],
  2,
  `tfjs-init: --out ${healthy} is the folder the model is read from (`,
  true,
);
cli(
  'an unregistered class',
  ['reinit', '__tests__/fixtures/cli/unknown-class', '--out', 'out'],
  5,
  "layer 'hidden2' has class 'NoSuchLayer', which is not registered: the model will not load",
);
cli(
  'a mistyped initializer in the model file',
  ['reinit', '__tests__/fixtures/cli/typo-initializer', '--out', 'out'],
  5,
  `tfjs-init: output.kernelInitializer: initializer 'XavierUniformCustm' is not registered: the ` +
    `model will not load. Did you mean 'XavierUniformCustom' or 'xavierUniformCustom' ` +
    `(tfjs-initializers)? ${CLASS_NAME_RULE}`,
);
cli(
  'batch 0',
  ['doctor', healthy, '--batch', '0'],
  2,
  'tfjs-init: --batch must be an integer >= 1. Received: 0',
);
cli(
  'batch 2.5',
  ['doctor', healthy, '--batch', '2.5'],
  2,
  'tfjs-init: --batch must be an integer >= 1. Received: 2.5',
);
cli(
  'a batch of 1.6e10 values',
  ['doctor', healthy, '--batch', '1000000000'],
  2,
  'tfjs-init: a random batch of 1000000000 examples of shape ' +
    '[16] has 16000000000 values, more than 67108864: give a ' +
    'smaller --batch',
);
cli(
  'negative seed',
  ['doctor', healthy, '--seed', '-1'],
  2,
  'tfjs-init: --seed must be an integer >= 0. Received: -1',
);
cli(
  'max-memory 0',
  ['doctor', healthy, '--max-memory', '0'],
  2,
  'tfjs-init: --max-memory must be an integer >= 1. Received: 0',
);
cli(
  'both --training and --inference',
  ['doctor', healthy, '--training', '--inference'],
  2,
  'tfjs-init: --training and --inference exclude each other',
);
cli(
  'seed not a number',
  ['reinit', healthy, '--out', 'out', '--seed', 'abc'],
  2,
  'tfjs-init: --seed must be an integer >= 0. Received: abc',
);
cli('missing --out', ['reinit', healthy], 2, "error: required option '--out <dir>' not specified");
cli(
  'LSUV batch of 1',
  ['reinit', healthy, '--out', 'out', '--lsuv', '--batch', '1'],
  2,
  'tfjs-init: --batch must be an integer >= 2. Received: 1',
);
cli(
  'missing input file',
  ['doctor', healthy, '--input', 'nothing.json'],
  3,
  'tfjs-init: input file not found: nothing.json',
);
const RULE_SYNTAX =
  `expected LAYER[.ROLE]=INITIALIZER[{json options}], e.g. ` +
  `'Dense.kernel=XavierUniformCustom{"gain":1.6667}' or ` +
  `'*.bias=ZeroBias'`;
const rule = (r: string): string[] => ['reinit', healthy, '--out', 'out', '--rule', r];
cli(
  'a rule without a layer',
  rule('=zeros'),
  2,
  `tfjs-init: --rule '=zeros': it must start with a layer class or name, * or /regex/; ${RULE_SYNTAX}`,
);
cli(
  'a rule without an initializer',
  rule('Dense.kernel'),
  2,
  `tfjs-init: --rule 'Dense.kernel': there is no '=INITIALIZER'; ${RULE_SYNTAX}`,
);
cli(
  'a weight name with `_` as role',
  rule('Dense.recurrent_kernel=zeros'),
  2,
  `tfjs-init: --rule 'Dense.recurrent_kernel=zeros': cannot ` +
    `read '.recurrent_kernel=zeros' after the ` +
    `layer; ${RULE_SYNTAX}`,
);
cli(
  'options that are not JSON',
  rule('Dense=XavierUniformCustom{gain:2}'),
  2,
  "tfjs-init: --rule 'Dense=XavierUniformCustom{gain:2}': the options are not valid JSON (",
  true,
);
cli(
  'an unclosed layer pattern',
  rule('/dense=zeros'),
  2,
  `tfjs-init: --rule '/dense=zeros': the layer pattern /…/ is not closed; ${RULE_SYNTAX}`,
);
cli(
  'an unknown initializer',
  rule('*.kernel=Xavier'),
  2,
  `tfjs-init: --rule '*.kernel=Xavier': unknown initializer 'Xavier'. Did you mean one of: ` +
    `'XavierNormal' or 'xavierNormal' (tfjs-initializers); 'XavierUniformCustom' or ` +
    `'xavierUniformCustom' (tfjs-initializers)? ${NAME_RULE}`,
);
cli(
  'a bad option value',
  rule('*.kernel=XavierUniformCustom{"gain":0}'),
  2,
  `tfjs-init: --rule '*.kernel=XavierUniformCustom{"gain":0}': ` +
    `XavierUniformCustom: option \`gain\` must be a finite ` +
    `number > 0. Received: gain=0`,
);
cli(
  'a role the model lacks',
  rule('Dense.gamma=ones'),
  2,
  'tfjs-init: bad --rule for this model: applyInitializers: ' +
    'rules[0] (Dense.gamma=ones): the layers it matches have no ' +
    "weight with role 'gamma' (their roles: 'kernel', 'bias')",
);
cli(
  'a scheme that cannot fill the shape',
  rule('Dense.kernel=Dirac'),
  2,
  'tfjs-init: bad --rule for this model: applyInitializers: ' +
    'rules[0] (Dense.kernel=Dirac) cannot initialize weight ' +
    "'hidden1/kernel",
  true,
);

/**
 * Public exports that take no input to validate, or only the typed output of another export,
 * with the reason; with the rows above they cover every export (a test checks).
 */
export const NOT_VALIDATED: Readonly<Record<string, string>> = {
  InitializerError: 'the error class itself',
  BaseInitializer: 'abstract; subclasses call it with their own schema, which does the checking',
  getSeed: 'no arguments',
  getDrawCount: 'no arguments',
  clearSeed: 'no arguments',
  registeredNames: 'no arguments',
  useFixedBuiltins: 'no arguments',
  restoreBuiltins: 'no arguments',
  renderTextReport: 'takes the report analyzeInitialization returns (typed)',
  renderHtmlReport: 'takes the report analyzeInitialization returns (typed)',
  VarianceScalingInit: 'deprecated alias of VarianceScalingInitializer (same class)',
  varianceScalingInit: 'deprecated alias of varianceScalingInitializer (same function)',
  IdentityInitializer: 'deprecated alias of Eye (same class)',
  identityInitializer: 'deprecated alias of eye (same function)',
  fillTruncatedNormal: 'deprecated alias of fillTruncNormal (same function)',
};

/** The JavaScript a row runs, as docs/errors.md shows it. */
export function callText(call: Call): string {
  const args = (list: unknown[]): string => list.map(show).join(', ');
  if ('new' in call) return `new ${call.new}(${args(call.args)})`;
  if ('call' in call) {
    const [target, member] = call.call.split('.');
    const shown =
      member === undefined
        ? `${target}(${args(call.args)})`
        : `${target}.${member}(${args(call.args)})`;
    return ASYNC.has(target) ? `await ${shown}` : shown;
  }
  if ('apply' in call) {
    const opts = call.options === undefined ? '' : show(call.options);
    const dtype = call.dtype === undefined ? '' : `, ${show(call.dtype)}`;
    return `new ${call.apply}(${opts}).apply(${show(call.shape)}${dtype})`;
  }
  if ('builtin' in call)
    return (
      `tf.layers.dense({units: 1, kernelInitializer: {className: ` +
      `'${call.builtin}', config: ${show(call.config)}}})`
    );
  if ('layer' in call) return `tf.layers.dense(${show({units: 1, ...call.layer})})`;
  if ('load' in call)
    return `await fileIO('${call.load}'${call.options === undefined ? '' : `, ${show(call.options)}`}).load()`;
  // Arguments with characters a shell would interpret are single-quoted, as one would type them.
  return `tfjs-init ${call.cli.map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')}`;
}
