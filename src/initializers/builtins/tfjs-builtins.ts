import type {Fans} from '../../fans';
import {sizeOf} from '../../core/tensor-args';
import {ownValue} from '../../core/own';
import {MAX_MAGNITUDE} from '../../core/options';
import {fillNormal, fillTruncNormal, fillUniform} from '../../random/samplers';

/**
 * What this package knows about tfjs-layers' own initializers (4.x), in one place: which classes
 * tfjs registers, how their constructors read a config (its `||` defaults), its fan rule, the
 * variance-scaling presets, what each `apply` draws (distribution, truncation, which seeds count)
 * and which shapes and dtypes it refuses. The seeding of tfjs's classes (`seeded-builtins.ts`), the
 * one patch of tfjs's `Orthogonal` (`orthogonal-builtin.ts`), the fixed built-ins, the static
 * analysis (`tools/kernel-variance.ts`) and the fitness check (`weights/initializer-fit.ts`) all ask
 * it; `__tests__/initializers/builtins/tfjs-builtins.slow.test.ts` compares every prediction with
 * tfjs's actual draws for kernels of rank 1 to 6.
 *
 * Checked against tfjs-layers 4.22 (`src/initializers.ts`) and tfjs-core's random ops:
 *
 *     RandomUniform    U[minval, maxval)               minval || −0.05, maxval || 0.05
 *     RandomNormal     N(mean, stddev²)                mean || 0, stddev || 0.05
 *     TruncatedNormal  N(mean, stddev²) cut at mean ± 2·stddev (no variance correction)
 *     VarianceScaling  v = scale / max(1, n), n = fanIn | fanOut | (fanIn + fanOut)/2 (tfjs's fans)
 *                      'normal': N(0, v) cut at ±2√v (variance 0.774·v); otherwise U[−√(3v), √(3v)]
 *                      ('truncatedNormal' draws the uniform too)
 *     Glorot/He/LeCun  VarianceScaling presets; they save as 'VarianceScaling'
 *     Orthogonal       gain · Q of the QR of a Gaussian [max, min] matrix (rows or columns orthonormal)
 *     Identity         gain · I, square matrices only
 *     Zeros, Ones, Constant(value)
 *
 * Seeds: an instance without a seed draws from `Math.random`; a draw from tfjs's normal sampler
 * (RandomNormal, TruncatedNormal, VarianceScaling 'normal', Orthogonal) also treats seed 0 as none.
 */

/** Class names tfjs-layers registers itself. */
export const TFJS_BUILTIN_NAMES = [
  'Zeros',
  'Ones',
  'Constant',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'VarianceScaling',
  'Orthogonal',
  'Identity',
  'GlorotUniform',
  'GlorotNormal',
  'HeUniform',
  'HeNormal',
  'LeCunUniform',
  'LeCunNormal',
] as const;

/** One of {@link TFJS_BUILTIN_NAMES}. */
export type TfjsBuiltinName = (typeof TFJS_BUILTIN_NAMES)[number];

/** Fan modes tfjs's `VarianceScaling` accepts (it has no `fanGeoAvg`). */
export const TFJS_FAN_MODES = ['fanIn', 'fanOut', 'fanAvg'] as const;

/** Distributions tfjs's `VarianceScaling` accepts. */
export const TFJS_DISTRIBUTIONS = ['normal', 'uniform', 'truncatedNormal'] as const;

/** The three numbers of a variance-scaling scheme, as tfjs names them. */
export interface TfjsScaling {
  scale: number;
  mode: (typeof TFJS_FAN_MODES)[number];
  distribution: (typeof TFJS_DISTRIBUTIONS)[number];
}

/**
 * The defaults of tfjs's constructors (which tfjs also substitutes for 0 where it reads `||`:
 * `minval`, `maxval`, `mean`, `stddev`). The fixed built-ins keep them, with 0 meaning 0.
 */
export const TFJS_DEFAULTS = {
  minval: -0.05,
  maxval: 0.05,
  mean: 0,
  stddev: 0.05,
  gain: 1,
  scale: 1,
  mode: 'fanIn',
  distribution: 'normal',
} as const;

/**
 * tfjs's truncated normals (`TruncatedNormal`, `VarianceScaling` 'normal') keep values within this
 * many stddevs of the mean.
 */
export const TFJS_TRUNCATION = 2;

/** tfjs's variance-scaling helper classes (Keras's presets), which save as `VarianceScaling`. */
export const TFJS_PRESETS: Readonly<Record<string, TfjsScaling>> = {
  GlorotUniform: {scale: 1, mode: 'fanAvg', distribution: 'uniform'},
  GlorotNormal: {scale: 1, mode: 'fanAvg', distribution: 'normal'},
  HeUniform: {scale: 2, mode: 'fanIn', distribution: 'uniform'},
  HeNormal: {scale: 2, mode: 'fanIn', distribution: 'normal'},
  LeCunUniform: {scale: 1, mode: 'fanIn', distribution: 'uniform'},
  LeCunNormal: {scale: 1, mode: 'fanIn', distribution: 'normal'},
};

/**
 * Variance of N(0, 1) cut to [−2, 2]: 1 − 4φ(2)/(2Φ(2) − 1) = 0.7737413. tfjs's truncated draws
 * (`TruncatedNormal`, `VarianceScaling` 'normal') have this fraction of the untruncated variance.
 */
export const TRUNCATED_VARIANCE = 0.7737413;

/**
 * Fans exactly as tfjs-layers computes them (`computeFans`, channels-last): rank 2 → (in, out);
 * rank 3–5 → (in·∏k, out·∏k); any other rank (1, 6, ...) → (√size, √size). Unlike this package's
 * `computeFans`, which treats every rank ≥ 2 as [...k, in, out].
 */
export function tfjsFans(shape: readonly number[]): Fans {
  const rank = shape.length;
  if (rank === 2) return {fanIn: shape[0], fanOut: shape[1]};
  if (rank >= 3 && rank <= 5) {
    const receptive = sizeOf(shape.slice(0, -2));
    return {fanIn: shape[rank - 2] * receptive, fanOut: shape[rank - 1] * receptive};
  }
  const root = Math.sqrt(sizeOf(shape));
  return {fanIn: root, fanOut: root};
}

/** The public fields tfjs-layers 4.x sets on its initializer instances. */
export interface TfjsFields {
  seed?: number | null;
  minval?: number;
  maxval?: number;
  mean?: number;
  stddev?: number;
  scale?: number;
  mode?: string;
  distribution?: string;
  gain?: number;
  value?: number;
}

const numberOr = (v: unknown, def: number): number => (typeof v === 'number' ? v : def);
/** tfjs's `args.x || def`: 0, NaN, null and undefined all become `def`. */
const orDefault = (v: unknown, def: number): number => (typeof v === 'number' && v ? v : def);
/** tfjs's `args.x == null ? def : args.x`. */
const nullish = <T>(v: unknown, def: T): T => (v === null || v === undefined ? def : (v as T));

/**
 * The fields tfjs's constructor of `className` stores for a config (camelCase keys, as tfjs hands
 * them to `fromConfig`): its `||` and `== null` defaults applied, a preset's scale, mode and
 * distribution filled in. Null for a class tfjs does not register.
 *
 * @example
 * ```ts
 * tfjsFields('RandomUniform', {minval: 0, maxval: 1});   // {minval: -0.05, maxval: 1, seed: undefined}
 * ```
 */
export function tfjsFields(className: string, config: Record<string, unknown>): TfjsFields | null {
  const seed = config.seed as number | null | undefined;
  const preset = ownValue(TFJS_PRESETS, className);
  if (preset !== undefined) return {...preset, seed: nullish(seed, null)};
  switch (className) {
    case 'Zeros':
    case 'Ones':
      return {};
    case 'Constant':
      return {value: config.value as number};
    case 'RandomUniform':
      return {
        minval: orDefault(config.minval, -0.05),
        maxval: orDefault(config.maxval, 0.05),
        seed,
      };
    case 'RandomNormal':
    case 'TruncatedNormal':
      return {
        mean: orDefault(config.mean, TFJS_DEFAULTS.mean),
        stddev: orDefault(config.stddev, TFJS_DEFAULTS.stddev),
        seed,
      };
    case 'VarianceScaling':
      return {
        scale: nullish(config.scale, TFJS_DEFAULTS.scale),
        mode: nullish(config.mode, TFJS_DEFAULTS.mode),
        distribution: nullish(config.distribution, TFJS_DEFAULTS.distribution),
        seed,
      };
    case 'Orthogonal':
    case 'Identity':
      return {
        gain: nullish(config.gain, TFJS_DEFAULTS.gain),
        ...(className === 'Orthogonal' ? {seed} : {}),
      };
    default:
      return null;
  }
}

/** What one `apply` of a tfjs built-in draws. */
export type TfjsDraw =
  | {kind: 'constant'; value: number}
  | {kind: 'uniform'; low: number; high: number}
  | {kind: 'normal'; mean: number; std: number}
  /** N(mean, std²) cut at mean ± 2·std, without variance correction. */
  | {kind: 'truncatedNormal'; mean: number; std: number}
  /** gain · Q, Q with orthonormal rows (wide) or columns (tall) of the [rows, cols] flattening. */
  | {kind: 'orthogonal'; gain: number}
  /** gain · I of a square matrix. */
  | {kind: 'identity'; gain: number};

/** The variance-scaling part of a `VarianceScaling` (or preset) instance: σ² = scale / max(1, n). */
function scaledVariance(fields: TfjsFields, shape: readonly number[]): number {
  const {fanIn, fanOut} = tfjsFans(shape);
  const n =
    fields.mode === 'fanIn' ? fanIn : fields.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
  return (fields.scale as number) / Math.max(1, n);
}

/**
 * What tfjs's `apply` of `className` draws for an instance with `fields` and a kernel of `shape`
 * (valid for tfjs: see {@link tfjsProblem}). Null for a class tfjs does not register.
 *
 * @example
 * ```ts
 * tfjsDraw('VarianceScaling', tfjsFields('HeNormal', {}), [2, 2, 2, 2, 4, 8]);
 * // {kind: 'truncatedNormal', mean: 0, std: √(2 / 16)}: rank 6 takes √size as its fans
 * ```
 */
export function tfjsDraw(
  className: string,
  fields: TfjsFields,
  shape: readonly number[],
): TfjsDraw | null {
  const isPreset = ownValue(TFJS_PRESETS, className) !== undefined;
  switch (isPreset ? 'VarianceScaling' : className) {
    case 'Zeros':
      return {kind: 'constant', value: 0};
    case 'Ones':
      return {kind: 'constant', value: 1};
    case 'Constant':
      return {kind: 'constant', value: fields.value as number};
    case 'RandomUniform': {
      const [a, b] = [fields.minval as number, fields.maxval as number];
      return {kind: 'uniform', low: Math.min(a, b), high: Math.max(a, b)};
    }
    case 'RandomNormal':
      return {kind: 'normal', mean: fields.mean as number, std: Math.abs(fields.stddev as number)};
    case 'TruncatedNormal':
      return {
        kind: 'truncatedNormal',
        mean: fields.mean as number,
        std: Math.abs(fields.stddev as number),
      };
    case 'VarianceScaling': {
      const v = scaledVariance(fields, shape);
      if (fields.distribution === 'normal')
        return {kind: 'truncatedNormal', mean: 0, std: Math.sqrt(v)};
      const limit = Math.sqrt(3 * v);
      return {kind: 'uniform', low: -limit, high: limit};
    }
    case 'Orthogonal':
      return {kind: 'orthogonal', gain: fields.gain as number};
    case 'Identity':
      return {kind: 'identity', gain: fields.gain as number};
    default:
      return null;
  }
}

/** Classes whose draw uses tfjs's normal sampler, where seed 0 means "unseeded". */
function drawsNormal(className: string, fields: TfjsFields): boolean {
  if (className === 'RandomNormal' || className === 'TruncatedNormal' || className === 'Orthogonal')
    return true;
  const scaled = className === 'VarianceScaling' || ownValue(TFJS_PRESETS, className) !== undefined;
  return scaled && fields.distribution === 'normal';
}

/**
 * Whether the instance's own seed fixes tfjs's draw: any seed for a uniform draw, a seed other
 * than 0 for a draw from tfjs's normal sampler (which treats 0 as none).
 */
export function ownSeedFixesDraw(className: string, fields: TfjsFields): boolean {
  return drawsNormal(className, fields) ? Boolean(fields.seed) : fields.seed != null;
}

const RANDOM = [
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'VarianceScaling',
  'Orthogonal',
];

/**
 * Why tfjs's constructor or `apply` of `className` would fail (or never return) for an instance
 * with `fields` and a weight of `shape` and `dtype`, or null when it draws: `Identity` needs a
 * square matrix, `Orthogonal` rank ≥ 2, the random classes float32 or int32, `VarianceScaling` a
 * scale ≥ 0 and a known mode and distribution; a `TruncatedNormal` with a negative stddev loops
 * forever (no value lies in [mean + 2·stddev, mean − 2·stddev]).
 */
export function tfjsProblem(
  className: string,
  fields: TfjsFields,
  shape: readonly number[],
  dtype: string,
): string | null {
  const preset = ownValue(TFJS_PRESETS, className) !== undefined;
  const name = preset ? 'VarianceScaling' : className;
  if (name === 'Identity' && (shape.length !== 2 || shape[0] !== shape[1]))
    return "tfjs's Identity initializer needs a square matrix";
  if (name === 'Orthogonal' && shape.length < 2)
    return "tfjs's Orthogonal initializer needs rank >= 2";
  if (RANDOM.includes(name) && dtype !== 'float32' && dtype !== 'int32')
    return `tfjs's ${className} initializer draws float32 or int32 only, not ${dtype}`;
  if (name === 'VarianceScaling') {
    if (!(numberOr(fields.scale, NaN) >= 0)) return "tfjs's VarianceScaling needs a scale >= 0";
    if (!(TFJS_FAN_MODES as readonly unknown[]).includes(fields.mode))
      return `tfjs's VarianceScaling accepts mode ${TFJS_FAN_MODES.join(', ')} only`;
    if (!(TFJS_DISTRIBUTIONS as readonly unknown[]).includes(fields.distribution))
      return `tfjs's VarianceScaling accepts distribution ${TFJS_DISTRIBUTIONS.join(', ')} only`;
  }
  if (name === 'Constant' && fields.value === undefined) return "tfjs's Constant needs a value";
  if (name === 'TruncatedNormal' && numberOr(fields.stddev, 0) < 0)
    return "tfjs's TruncatedNormal never returns for a negative stddev";
  return null;
}

/** Mean, variance, E[W²] and the interval every value lies in, of a draw for a kernel of `shape`. */
export interface DrawMoments {
  mean: number;
  variance: number;
  /** E[W²] = mean² + variance (for Orthogonal and Identity, exactly the mean square of the result). */
  meanSquare: number;
  /** Smallest and largest value a draw can hold. */
  low: number;
  high: number;
}

/**
 * The moments of a {@link TfjsDraw} for a kernel of `shape` ([rows, cols] = [∏shape[:-1],
 * shape[-1]] for Orthogonal): constant v: (v, 0); U[a, b): ((a+b)/2, (b−a)²/12); N(m, s²):
 * (m, s²); tfjs's truncated normal: (m, 0.7737·s²) on m ± 2|s|; gain·Q: E[W²] = gain²/max(rows,
 * cols) exactly (min(rows, cols) orthonormal vectors), mean 0 in expectation; gain·I (n × n):
 * mean gain/n, E[W²] gain²/n.
 */
export function drawMoments(draw: TfjsDraw, shape: readonly number[]): DrawMoments {
  const of = (mean: number, variance: number, low: number, high: number): DrawMoments => ({
    mean,
    variance,
    meanSquare: mean * mean + variance,
    low,
    high,
  });
  switch (draw.kind) {
    case 'constant':
      return of(draw.value, 0, draw.value, draw.value);
    case 'uniform':
      return of((draw.low + draw.high) / 2, (draw.high - draw.low) ** 2 / 12, draw.low, draw.high);
    case 'normal':
      return of(draw.mean, draw.std ** 2, -Infinity, Infinity);
    case 'truncatedNormal': {
      const s = Math.abs(draw.std);
      const cut = TFJS_TRUNCATION * s;
      return of(draw.mean, TRUNCATED_VARIANCE * s * s, draw.mean - cut, draw.mean + cut);
    }
    case 'orthogonal': {
      const cols = shape[shape.length - 1];
      const rows = sizeOf(shape) / cols;
      const g = Math.abs(draw.gain);
      return of(0, (g * g) / Math.max(rows, cols), -g, g);
    }
    case 'identity': {
      const n = shape[0];
      const mean = draw.gain / n;
      return of(
        mean,
        (draw.gain * draw.gain) / n - mean * mean,
        Math.min(0, draw.gain),
        Math.max(0, draw.gain),
      );
    }
  }
}

/** Whether this package's samplers can draw `draw` (parameters finite and within 1e36). */
export function samplerCanDraw(draw: TfjsDraw): boolean {
  const ok = (...xs: number[]): boolean =>
    xs.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_MAGNITUDE);
  switch (draw.kind) {
    case 'uniform':
      return ok(draw.low, draw.high);
    case 'normal':
      return ok(draw.mean, draw.std);
    case 'truncatedNormal':
      return ok(
        draw.mean,
        draw.std,
        draw.mean + TFJS_TRUNCATION * draw.std,
        draw.mean - TFJS_TRUNCATION * draw.std,
      );
    default:
      return false;
  }
}

/**
 * Fills `out` with `draw` (a uniform, normal or truncated normal that {@link samplerCanDraw}) from
 * this package's random stream (seed, 0): tfjs's distribution, reproducible.
 */
export function fillTfjsDraw(out: Float32Array, draw: TfjsDraw, seed: number): void {
  switch (draw.kind) {
    case 'uniform':
      fillUniform(out, seed, 0, draw.low, draw.high);
      return;
    case 'normal':
      fillNormal(out, seed, 0, draw.mean, draw.std);
      return;
    case 'truncatedNormal':
      if (draw.std === 0) out.fill(draw.mean);
      else
        fillTruncNormal(
          out,
          seed,
          0,
          draw.mean,
          draw.std,
          draw.mean - TFJS_TRUNCATION * draw.std,
          draw.mean + TFJS_TRUNCATION * draw.std,
        );
      return;
    default:
      throw new Error(`fillTfjsDraw: cannot draw ${draw.kind}`);
  }
}
