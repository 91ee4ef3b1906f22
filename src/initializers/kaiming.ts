import {NONLINEARITY_NAMES, calculateGain, type Nonlinearity} from '../fans';
import {finiteNumber, oneOf, type Schema} from '../core/options';
import {register} from './registry';
import {
  SCALED_SCHEMA,
  ScaledInitializer,
  type FanArgs,
  type Scaling,
  type ScaledOptions,
} from './variance-scaling';

/** Nonlinearities Kaiming init accepts for its gain (PyTorch's `calculate_gain` names). */
export type KaimingNonlinearity = Nonlinearity;

/** Options of {@link KaimingUniform} and {@link KaimingNormal} (PyTorch semantics), with a seed, fans or axes. */
export interface KaimingArgs extends FanArgs {
  /** Negative slope of the rectifier after this layer (used only with `leakyRelu`). Default 0. */
  a?: number;
  /** `'fanIn'` preserves the forward signal's variance, `'fanOut'` the backward one's. Default `'fanIn'`. */
  mode?: 'fanIn' | 'fanOut';
  /** Nonlinearity whose gain is used. Default `'leakyRelu'` (with `a = 0`, i.e. ReLU: gain √2). */
  nonlinearity?: KaimingNonlinearity;
}

interface KaimingOptions extends ScaledOptions {
  a: number;
  mode: 'fanIn' | 'fanOut';
  nonlinearity: KaimingNonlinearity;
}

const SCHEMA: Schema<KaimingOptions> = {
  a: finiteNumber(0),
  mode: oneOf(['fanIn', 'fanOut'] as const, 'fanIn'),
  nonlinearity: oneOf(NONLINEARITY_NAMES, 'leakyRelu'),
  ...SCALED_SCHEMA,
};

/** gain² for the options: PyTorch passes `a` as the leaky-ReLU slope. */
function kaimingScale(o: KaimingOptions): number {
  return calculateGain(o.nonlinearity, o.a) ** 2;
}

/**
 * Kaiming (He) uniform initialization, PyTorch's `kaiming_uniform_`:
 *
 *     W ~ U[−b, b],   b = gain · √(3 / fan),   gain = calculateGain(nonlinearity, a)
 *
 * with fan = fanIn (default) or fanOut. Var(W) = gain² / fan keeps the variance of ReLU-network
 * activations (fanIn) or gradients (fanOut) constant across layers. Fans from the tfjs layout,
 * explicit `fanIn`/`fanOut`, or axes (JAX's `inAxis`/`outAxis`/`batchAxis`, Keras 3's
 * `inputAxes`/`outputAxes`; see `computeFans`).
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: new KaimingUniform()});
 * new KaimingUniform({a: 0.2, nonlinearity: 'leakyRelu', mode: 'fanOut'}).apply([3, 3, 64, 64]);
 * new KaimingUniform({batchAxis: 0}).apply([4, 256, 256]);   // 4 stacked experts: fanIn 256 each
 * ```
 * @see He et al., "Delving Deep into Rectifiers", ICCV 2015; `torch.nn.init.kaiming_uniform_`.
 */
export class KaimingUniform extends ScaledInitializer<KaimingOptions> {
  static override className = 'KaimingUniform';

  constructor(args: KaimingArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {scale: kaimingScale(this.options), mode: this.options.mode, distribution: 'uniform'};
  }
}
register(KaimingUniform);

/**
 * Kaiming (He) normal initialization, PyTorch's `kaiming_normal_`:
 *
 *     W ~ N(0, σ²),   σ = gain / √fan,   gain = calculateGain(nonlinearity, a)
 *
 * (untruncated, as in PyTorch).
 *
 * @example
 * ```ts
 * tf.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: new KaimingNormal()});
 * ```
 * @see He et al., "Delving Deep into Rectifiers", ICCV 2015; `torch.nn.init.kaiming_normal_`.
 */
export class KaimingNormal extends ScaledInitializer<KaimingOptions> {
  static override className = 'KaimingNormal';

  constructor(args: KaimingArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {
      scale: kaimingScale(this.options),
      mode: this.options.mode,
      distribution: 'untruncatedNormal',
    };
  }
}
register(KaimingNormal);

/** Factory for {@link KaimingUniform}. */
export function kaimingUniform(args?: KaimingArgs): KaimingUniform {
  return new KaimingUniform(args);
}

/** Factory for {@link KaimingNormal}. */
export function kaimingNormal(args?: KaimingArgs): KaimingNormal {
  return new KaimingNormal(args);
}
