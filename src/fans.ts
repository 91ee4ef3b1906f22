import {InitializerError, describeValue, fail} from './core/errors';
import {checkDims} from './core/tensor-args';

/** Numbers of inputs and outputs feeding one unit of a weight tensor. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fan-in and fan-out of a tfjs kernel, channels-last:
 * Dense `[in, out]` → (in, out); Conv1D/2D/3D `[...k, in, out]` → (in·∏k, out·∏k).
 * Layouts that store the axes differently (Conv2DTranspose `[kh, kw, out, in]`) follow the same
 * rule, as in tfjs and Keras; pass explicit `fanIn`/`fanOut` to an initializer to override.
 *
 * @param shape kernel shape of rank ≥ 2 (positive integer dims).
 * @param owner name used in the error message when the rank is too small.
 * @throws InitializerError for a shape that is not an array of integers ≥ 1, or of rank < 2,
 * where fans are not defined.
 * @example
 * ```ts
 * computeFans([784, 128]);      // {fanIn: 784, fanOut: 128}
 * computeFans([3, 3, 16, 32]);  // {fanIn: 144, fanOut: 288}
 * ```
 * @see Glorot & Bengio (2010); `torch.nn.init._calculate_fan_in_and_fan_out`.
 */
export function computeFans(shape: readonly number[], owner = 'computeFans'): Fans {
  checkDims(owner, shape);
  if (shape.length < 2) {
    throw new InitializerError(
      owner,
      'shape',
      `fan-in and fan-out need a kernel of rank >= 2 (e.g. Dense [in, out]), or explicit \`fanIn\` and \`fanOut\` options. Received: shape=${describeValue(shape)}`,
    );
  }
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i];
  return {fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive};
}

/**
 * Fans for a shape, with explicit overrides. When both overrides are given the shape's rank does
 * not matter; otherwise the missing one comes from {@link computeFans}.
 */
export function resolveFans(
  shape: readonly number[],
  fanIn: number | null,
  fanOut: number | null,
  owner: string,
): Fans {
  if (fanIn !== null && fanOut !== null) return {fanIn, fanOut};
  const computed = computeFans(shape, owner);
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

const GAINS: Readonly<Record<Exclude<Nonlinearity, 'leakyRelu'>, number>> = {
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
  selu: 3 / 4,
};

/** All accepted spellings, for error messages and validation. */
export const NONLINEARITIES: readonly string[] = [...Object.keys(GAINS), 'leakyRelu', 'leaky_relu'];

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
export function calculateGain(nonlinearity: Nonlinearity | 'leaky_relu', param?: number | null): number {
  if (nonlinearity === 'leakyRelu' || nonlinearity === 'leaky_relu') {
    const slope = param ?? 0.01;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) {
      fail('calculateGain', 'param', 'a finite number (the negative slope)', slope);
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (typeof nonlinearity === 'string' && Object.prototype.hasOwnProperty.call(GAINS, nonlinearity)) {
    return GAINS[nonlinearity];
  }
  return fail('calculateGain', 'nonlinearity', `one of ${NONLINEARITIES.join(', ')}`, nonlinearity);
}
