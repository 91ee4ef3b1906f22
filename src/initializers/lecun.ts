import {register} from './registry';
import {
  SCALED_SCHEMA,
  ScaledInitializer,
  type FanArgs,
  type Scaling,
  type ScaledOptions,
} from './variance-scaling';

/**
 * Options of {@link LecunNormal} and {@link LecunUniform}: a seed, fans or axes. Keras 3.15 saves
 * `{seed, input_axes, output_axes}`, which load as `{seed, inputAxes, outputAxes}` with Keras's
 * meaning. (`fanOut` is unused by the formula; accepted for symmetry with the other presets.)
 */
export type LecunArgs = FanArgs;

const SCHEMA = SCALED_SCHEMA;

/**
 * LeCun normal initialization, Keras 3's `LecunNormal`, JAX's `lecun_normal`:
 *
 *     W ~ N(0, s²) truncated to [−2s, 2s],   s = √(1 / fanIn) / 0.87962566103423978
 *
 * so Var(W) = 1 / fanIn: the initialization self-normalizing networks (SELU) need. A preset of
 * {@link VarianceScalingInitializer} (scale 1, `fanIn`, `truncatedNormal`). Keras 3 `model.json` files that
 * name `LecunNormal` load with it (tfjs only knows `LeCunNormal`, whose normal is not corrected for
 * the truncation).
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 64, activation: 'selu', kernelInitializer: new LecunNormal({seed: 1})});
 * tf.layers.dense({units: 64, activation: 'selu', kernelInitializer: 'LecunNormal'});
 * ```
 * @see LeCun et al., "Efficient BackProp", 1998; Klambauer et al., "Self-Normalizing Neural
 * Networks", NeurIPS 2017; `keras.initializers.LecunNormal`.
 */
export class LecunNormal extends ScaledInitializer<ScaledOptions> {
  static override className = 'LecunNormal';

  constructor(args: LecunArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'};
  }
}
register(LecunNormal);

/**
 * LeCun uniform initialization, Keras 3's `LecunUniform`, JAX's `lecun_uniform`:
 *
 *     W ~ U[−b, b],   b = √(3 / fanIn)
 *
 * so Var(W) = 1 / fanIn. A preset of {@link VarianceScalingInitializer} (scale 1, `fanIn`, `uniform`).
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 64, kernelInitializer: new LecunUniform()});
 * tf.layers.dense({units: 64, kernelInitializer: 'LecunUniform'});
 * ```
 * @see LeCun et al., "Efficient BackProp", 1998; `keras.initializers.LecunUniform`.
 */
export class LecunUniform extends ScaledInitializer<ScaledOptions> {
  static override className = 'LecunUniform';

  constructor(args: LecunArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    return {scale: 1, mode: 'fanIn', distribution: 'uniform'};
  }
}
register(LecunUniform);

/** Factory for {@link LecunNormal}. */
export function lecunNormal(args?: LecunArgs): LecunNormal {
  return new LecunNormal(args);
}

/** Factory for {@link LecunUniform}. */
export function lecunUniform(args?: LecunArgs): LecunUniform {
  return new LecunUniform(args);
}
