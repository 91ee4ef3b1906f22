import {positive, type Schema} from '../core/options';
import {register} from './registry';
import {
  SCALED_SCHEMA,
  ScaledInitializer,
  type FanArgs,
  type Scaling,
  type ScaledOptions,
} from './variance-scaling';

/** Options of {@link XavierUniformCustom} and {@link XavierNormal}: a gain, a seed, fans or axes. */
export interface XavierArgs extends FanArgs {
  /** Multiplier of the bound (see `calculateGain`). Default 1. */
  gain?: number;
}

interface XavierOptions extends ScaledOptions {
  gain: number;
}

const SCHEMA: Schema<XavierOptions> = {gain: positive(1), ...SCALED_SCHEMA};

/**
 * Xavier (Glorot) uniform initialization, the centrepiece of our seed document:
 *
 *     W ~ U[−a, a],   a = gain · √(6 / (fanIn + fanOut))
 *
 * so Var(W) = a²/3 = gain² · 2 / (fanIn + fanOut), which keeps activation and gradient variances
 * about equal across layers. Fans come from the tfjs kernel layout (Dense `[in, out]`, Conv
 * `[...k, in, out]` times the receptive field ∏k) unless `fanIn`/`fanOut` or axes are given (JAX's
 * `inAxis`/`outAxis`/`batchAxis` as in `glorot_uniform`, or Keras 3's `inputAxes`/`outputAxes`;
 * see `computeFans`). Differs from tfjs's `glorotUniform` by the `gain`, explicit fans and axes,
 * and the seed semantics.
 *
 * @example
 * ```ts
 * const init = new XavierUniformCustom({gain: calculateGain('tanh'), seed: 7});
 * init.apply([784, 128]).print();
 * tf.layers.dense({units: 128, activation: 'tanh', kernelInitializer: init});
 * tf.layers.dense({units: 128, kernelInitializer: 'XavierUniformCustom'});
 * new XavierUniformCustom({inAxis: 0, outAxis: [1, 2]}).apply([512, 8, 64]); // Var = 2 / (512 + 512)
 * ```
 * @see Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
 * networks", AISTATS 2010; `torch.nn.init.xavier_uniform_`.
 */
export class XavierUniformCustom extends ScaledInitializer<XavierOptions> {
  static override className = 'XavierUniformCustom';
  protected override readonly minRank = 0;

  constructor(args: XavierArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {scale: this.options.gain ** 2, mode: 'fanAvg', distribution: 'uniform'};
  }
}
register(XavierUniformCustom);

/** Factory for {@link XavierUniformCustom}: `xavierUniformCustom({gain: 2})`. */
export function xavierUniformCustom(args?: XavierArgs): XavierUniformCustom {
  return new XavierUniformCustom(args);
}

/**
 * Xavier (Glorot) normal initialization, PyTorch's `xavier_normal_`:
 *
 *     W ~ N(0, σ²),   σ = gain · √(2 / (fanIn + fanOut))
 *
 * untruncated, as in PyTorch. (Keras's and tfjs's `GlorotNormal` truncate at ±2 standard
 * deviations; `new VarianceScalingInitializer({scale: gain², mode: 'fanAvg'})` gives that variant.)
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 64, activation: 'tanh', kernelInitializer: new XavierNormal({gain: calculateGain('tanh')})});
 * tf.layers.dense({units: 64, kernelInitializer: 'XavierNormal'});
 * ```
 * @see Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
 * networks", AISTATS 2010; `torch.nn.init.xavier_normal_`.
 */
export class XavierNormal extends ScaledInitializer<XavierOptions> {
  static override className = 'XavierNormal';

  constructor(args: XavierArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {scale: this.options.gain ** 2, mode: 'fanAvg', distribution: 'untruncatedNormal'};
  }
}
register(XavierNormal);

/** Factory for {@link XavierNormal}: `xavierNormal({gain: 2})`. */
export function xavierNormal(args?: XavierArgs): XavierNormal {
  return new XavierNormal(args);
}
