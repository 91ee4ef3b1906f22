import {InitializerError, describeValue, fail} from './core/errors';
import {optionalAxes, parseOptions, type Axes, type Schema} from './core/options';
import {checkDims} from './core/tensor-args';

/** Numbers of inputs and outputs feeding one unit of a weight tensor. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Which axes of a kernel hold its inputs, outputs and batch, by one of two rules (never both):
 *
 * - JAX's (`jax.nn.initializers.variance_scaling`'s `in_axis`, `out_axis`, `batch_axis`):
 *   fanIn = ∏shape[inAxis] · r, fanOut = ∏shape[outAxis] · r, where r (the receptive field) is the
 *   product of every axis in none of the three. Unset ones default to inAxis −2, outAxis −1,
 *   batchAxis none.
 * - Keras 3's (`VarianceScaling`'s `input_axes`, `output_axes`, Keras 3.15): fanIn =
 *   ∏shape[inputAxes], fanOut = ∏shape[outputAxes]; every other axis is ignored (no receptive
 *   field). Both must be given.
 *
 * An axis is an integer, negative ones counting from the end; a list names several (its product).
 * No axis may be named twice.
 */
export interface FanAxes {
  /** JAX's `in_axis`: the input axis or axes. Default −2 (when another JAX axis option is given). */
  inAxis?: Axes | null;
  /** JAX's `out_axis`: the output axis or axes. Default −1. */
  outAxis?: Axes | null;
  /** JAX's `batch_axis`: axes left out of both fans (grouped or stacked weights). Default none. */
  batchAxis?: Axes | null;
  /** Keras 3's `input_axes` (saved configs load as `inputAxes`): fanIn is their product alone. */
  inputAxes?: Axes | null;
  /** Keras 3's `output_axes`: fanOut is their product alone. */
  outputAxes?: Axes | null;
}

/** {@link FanAxes} after parsing: every key present, `null` when unset. */
export type ParsedFanAxes = {readonly [K in keyof FanAxes]-?: Axes | null};

/** The JAX rule's options, in the order they are checked. */
const JAX_KEYS = ['inAxis', 'outAxis', 'batchAxis'] as const;
/** The Keras 3 rule's options. */
const KERAS_KEYS = ['inputAxes', 'outputAxes'] as const;
/** JAX's defaults, used for an unset JAX option once any of the three is given. */
const JAX_DEFAULTS: Readonly<Record<(typeof JAX_KEYS)[number], Axes>> = {
  inAxis: -2,
  outAxis: -1,
  batchAxis: [],
};

/** The schema of the five axis options, shared by every class and function that takes them. */
export const FAN_AXES_SCHEMA: Schema<ParsedFanAxes> = {
  inAxis: optionalAxes(),
  outAxis: optionalAxes(),
  batchAxis: optionalAxes(),
  inputAxes: optionalAxes(),
  outputAxes: optionalAxes(),
};

const listOf = (a: Axes): readonly number[] => (typeof a === 'number' ? [a] : a);
const given = (axes: ParsedFanAxes, keys: readonly (keyof FanAxes)[]): Array<keyof FanAxes> =>
  keys.filter((k) => axes[k] !== null);

/**
 * The checks that need no shape, run at construction: the two rules are not mixed, Keras's two
 * options come together, explicit fans are not combined with axes, and no axis is named twice as
 * written (an axis named once as `i` and once as `i − rank` is found at `apply`).
 */
export function checkFanAxes(
  owner: string,
  axes: ParsedFanAxes,
  fans: {fanIn: number | null; fanOut: number | null} = {fanIn: null, fanOut: null},
): void {
  const jax = given(axes, JAX_KEYS);
  const keras = given(axes, KERAS_KEYS);
  const shown = (k: keyof FanAxes | 'fanIn' | 'fanOut'): string =>
    `${k}=${describeValue(k === 'fanIn' || k === 'fanOut' ? fans[k] : axes[k])}`;
  if (jax.length > 0 && keras.length > 0) {
    throw new InitializerError(
      owner,
      keras[0],
      `options \`inAxis\`, \`outAxis\`, \`batchAxis\` (JAX's rule) ` +
        `and \`inputAxes\`, \`outputAxes\` (Keras 3's rule) cannot ` +
        `be combined. Received: ${shown(jax[0])}, ${shown(keras[0])}`,
    );
  }
  if (keras.length === 1) {
    const missing = keras[0] === 'inputAxes' ? 'outputAxes' : 'inputAxes';
    throw new InitializerError(
      owner,
      missing,
      `option \`${missing}\` must be given with \`${keras[0]}\` ` +
        `(Keras 3 uses the two only together). ` +
        `Received: ${shown(keras[0])}, ${missing}=null`,
    );
  }
  const explicit = (['fanIn', 'fanOut'] as const).filter((k) => fans[k] !== null);
  if (explicit.length > 0 && (jax.length > 0 || keras.length > 0)) {
    const axisKey = [...jax, ...keras][0];
    throw new InitializerError(
      owner,
      explicit[0],
      `explicit fans and fan axes cannot be combined: give ` +
        `\`fanIn\`/\`fanOut\` or axes, not both. ` +
        `Received: ${shown(explicit[0])}, ${shown(axisKey)}`,
    );
  }
  const keys = jax.length > 0 ? JAX_KEYS : KERAS_KEYS;
  const seen = new Map<number, keyof FanAxes>();
  for (const key of keys) {
    const value =
      axes[key] ?? (jax.length > 0 ? JAX_DEFAULTS[key as (typeof JAX_KEYS)[number]] : null);
    if (value === null) continue;
    for (const a of listOf(value)) {
      const other = seen.get(a);
      if (other !== undefined) overlap(owner, key, other, a, axes, null);
      seen.set(a, key);
    }
  }
}

/** Fails: `key` names an axis that `other` names too. */
function overlap(
  owner: string,
  key: keyof FanAxes,
  other: keyof FanAxes,
  a: number,
  axes: ParsedFanAxes,
  shape: readonly number[] | null,
): never {
  const value = (k: keyof FanAxes): string =>
    axes[k] === null
      ? `${describeValue(JAX_DEFAULTS[k as (typeof JAX_KEYS)[number]])} (default)`
      : describeValue(axes[k]);
  const where = shape === null ? `axis ${a}` : `axis ${a} of shape=${describeValue(shape)}`;
  const parameter = axes[key] === null ? other : key; // name an option the caller gave
  throw new InitializerError(
    owner,
    parameter,
    `options \`${other}\` and \`${key}\` both name ${where}: an ` +
      `axis is an input, an output or a batch axis, not two. ` +
      `Received: ${other}=${value(other)}, ${key}=${value(key)}`,
  );
}

/**
 * Fans of `shape` by the axis options (which must pass {@link checkFanAxes}); `null` when none is
 * set. Fails when an axis does not exist in the shape or two options name the same axis.
 */
export function fansFromAxes(
  shape: readonly number[],
  axes: ParsedFanAxes,
  owner: string,
): Fans | null {
  const jax = given(axes, JAX_KEYS).length > 0;
  if (!jax && given(axes, KERAS_KEYS).length === 0) return null;
  const rank = shape.length;
  const owners = new Array<keyof FanAxes | null>(rank).fill(null);
  const product: Partial<Record<keyof FanAxes, number>> = {};
  for (const key of jax ? JAX_KEYS : KERAS_KEYS) {
    const value = axes[key] ?? JAX_DEFAULTS[key as (typeof JAX_KEYS)[number]];
    let p = 1;
    for (const a of listOf(value)) {
      if (a < -rank || a >= rank) {
        const note = axes[key] === null ? ' (the default)' : '';
        throw new InitializerError(
          owner,
          key,
          `option \`${key}\` must name axes of ` +
            `shape=${describeValue(shape)}: integers in ` +
            `[${-rank}, ${rank - 1}]. ` +
            `Received: ${key}=${describeValue(value)}${note}`,
        );
      }
      const i = a < 0 ? a + rank : a;
      const other = owners[i];
      if (other !== null) overlap(owner, key, other, i, axes, shape);
      owners[i] = key;
      p *= shape[i];
    }
    product[key] = p;
  }
  if (!jax) return {fanIn: product.inputAxes ?? 1, fanOut: product.outputAxes ?? 1};
  let receptive = 1;
  for (let i = 0; i < rank; i++) if (owners[i] === null) receptive *= shape[i];
  return {fanIn: (product.inAxis ?? 1) * receptive, fanOut: (product.outAxis ?? 1) * receptive};
}

/**
 * Fan-in and fan-out of a kernel.
 *
 * Without axes, the tfjs/Keras channels-last rule: Dense `[in, out]` → (in, out); Conv1D/2D/3D
 * `[...k, in, out]` → (in·∏k, out·∏k). Layouts that store the axes differently (Conv2DTranspose
 * `[kh, kw, out, in]`) follow the same rule, as in tfjs and Keras.
 *
 * With axes ({@link FanAxes}), JAX's rule (`inAxis`, `outAxis`, `batchAxis`: other axes are the
 * receptive field) or Keras 3's (`inputAxes`, `outputAxes`: other axes are ignored):
 *
 *     JAX:    fanIn = ∏shape[inAxis] · r,  fanOut = ∏shape[outAxis] · r,  r = ∏(other axes)
 *     Keras:  fanIn = ∏shape[inputAxes],   fanOut = ∏shape[outputAxes]
 *
 * @param shape kernel shape (positive integer dims): rank ≥ 2 without axes; with axes, any rank
 * that has the axes named.
 * @param axes the axis options, or (the older call form) the name used in error messages.
 * @param owner name used in error messages.
 * @throws InitializerError for a shape that is not an array of integers ≥ 1, of rank < 2 without
 * axes, for axes that are not integers, are named twice, mix the two rules or do not exist in the
 * shape.
 * @example
 * ```ts
 * computeFans([784, 128]);                                 // {fanIn: 784, fanOut: 128}
 * computeFans([3, 3, 16, 32]);                             // {fanIn: 144, fanOut: 288}
 * computeFans([512, 8, 64], {inAxis: 0, outAxis: [1, 2]}); // {fanIn: 512, fanOut: 512}: attention query kernel
 * computeFans([4, 3, 3, 16, 32], {batchAxis: 0});          // {fanIn: 144, fanOut: 288}: 4 stacked conv kernels
 * computeFans([3, 3, 16, 32], {inputAxes: [2], outputAxes: [3]}); // {fanIn: 16, fanOut: 32}: Keras 3
 * ```
 * @see Glorot & Bengio (2010); JAX `jax.nn.initializers.variance_scaling` (`_compute_fans`); Keras 3
 * `keras.initializers.VarianceScaling` (`compute_fans`); `torch.nn.init._calculate_fan_in_and_fan_out`.
 */
export function computeFans(
  shape: readonly number[],
  axes?: FanAxes | string | null,
  owner = 'computeFans',
): Fans {
  const name = typeof axes === 'string' ? axes : owner;
  const parsed = parseOptions(name, typeof axes === 'string' ? null : axes, FAN_AXES_SCHEMA);
  checkFanAxes(name, parsed);
  return fansOf(shape, parsed, name);
}

/** {@link computeFans} on parsed, checked axis options. */
function fansOf(shape: readonly number[], axes: ParsedFanAxes, owner: string): Fans {
  checkDims(owner, shape);
  const byAxes = fansFromAxes(shape, axes, owner);
  if (byAxes !== null) return byAxes;
  if (shape.length < 2) {
    throw new InitializerError(
      owner,
      'shape',
      `fan-in and fan-out need a kernel of rank >= 2 (e.g. Dense ` +
        `[in, out]), or explicit \`fanIn\` and \`fanOut\` options. ` +
        `Received: shape=${describeValue(shape)}`,
    );
  }
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i];
  return {fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive};
}

/** Parsed fan options of a variance-scaling initializer: explicit fans and axes. */
export interface FanOptions extends ParsedFanAxes {
  readonly fanIn: number | null;
  readonly fanOut: number | null;
}

/**
 * Fans for a shape from an initializer's options: both explicit fans when given (any rank);
 * otherwise the axes' fans, or the missing explicit one from the channels-last rule.
 */
export function resolveFans(shape: readonly number[], options: FanOptions, owner: string): Fans {
  const {fanIn, fanOut} = options;
  if (fanIn !== null && fanOut !== null) return {fanIn, fanOut};
  const computed = fansOf(shape, options, owner);
  return {fanIn: fanIn ?? computed.fanIn, fanOut: fanOut ?? computed.fanOut};
}

/** Nonlinearities known to {@link calculateGain}; `leaky_relu` is accepted as a spelling too. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'selu';

/**
 * PyTorch's gain of each {@link Nonlinearity}, in PyTorch's order (`leakyRelu`'s depends on its
 * slope). The compiler holds its keys to the type, both ways: this is the one list of names that
 * `calculateGain`, `KaimingUniform` / `KaimingNormal`'s `nonlinearity` option and their error
 * messages use.
 */
const GAINS: Readonly<Record<Nonlinearity, number | null>> = {
  linear: 1,
  conv1d: 1,
  conv2d: 1,
  conv3d: 1,
  convTranspose1d: 1,
  convTranspose2d: 1,
  convTranspose3d: 1,
  sigmoid: 1,
  tanh: 5 / 3,
  relu: Math.SQRT2,
  leakyRelu: null,
  selu: 3 / 4,
};

/** Every {@link Nonlinearity}, in PyTorch's order. */
export const NONLINEARITY_NAMES = Object.keys(GAINS) as readonly Nonlinearity[];

/** All accepted spellings, for error messages and validation. */
export const NONLINEARITIES: readonly string[] = [...NONLINEARITY_NAMES, 'leaky_relu'];

/**
 * The recommended gain for a nonlinearity, PyTorch's table (`torch.nn.init.calculate_gain`):
 *
 * | nonlinearity | gain |
 * |---|---|
 * | linear, conv1d/2d/3d, convTranspose1d/2d/3d, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leakyRelu (negative slope a, default 0.01) | √(2 / (1 + a²)) |
 * | selu | 3/4 |
 *
 * @param nonlinearity one of the names above (`leaky_relu` is accepted too).
 * @param param the negative slope for `leakyRelu`; ignored otherwise.
 * @example
 * ```ts
 * calculateGain('tanh');            // 1.6667
 * calculateGain('leakyRelu', 0.2);  // 1.3868
 * ```
 * @see https://pytorch.org/docs/stable/nn.init.html#torch.nn.init.calculate_gain
 */
export function calculateGain(
  nonlinearity: Nonlinearity | 'leaky_relu',
  param?: number | null,
): number {
  if (nonlinearity === 'leakyRelu' || nonlinearity === 'leaky_relu') {
    const slope = param ?? 0.01;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) {
      fail('calculateGain', 'param', 'a finite number (the negative slope)', slope);
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (
    typeof nonlinearity === 'string' &&
    Object.prototype.hasOwnProperty.call(GAINS, nonlinearity)
  ) {
    return GAINS[nonlinearity] as number;
  }
  return fail('calculateGain', 'nonlinearity', `one of ${NONLINEARITIES.join(', ')}`, nonlinearity);
}
