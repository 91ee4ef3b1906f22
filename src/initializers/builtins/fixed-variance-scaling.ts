import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {nonNegative, oneOf, parseOptions, seed, type Schema} from '../../core/options';
import {resolveSeed} from '../../random/seed';
import {sizeOf} from '../../core/tensor-args';
import {BaseInitializer} from '../base';
import {fillScaled, scaledVariance, type FanMode, type ScalingDistribution} from '../variance-scaling';

/**
 * Fans exactly as tfjs-layers computes them (`computeFans`, channels-last): rank 2 → (in, out);
 * rank 3–5 → (in·∏k, out·∏k); any other rank → (√size, √size). Kept for the fixed built-ins so that
 * every shape tfjs accepted still works and gets the same scale.
 */
export function tfjsFans(shape: readonly number[]): {fanIn: number; fanOut: number} {
  const rank = shape.length;
  if (rank === 2) return {fanIn: shape[0], fanOut: shape[1]};
  if (rank >= 3 && rank <= 5) {
    const receptive = sizeOf(shape.slice(0, -2));
    return {fanIn: shape[rank - 2] * receptive, fanOut: shape[rank - 1] * receptive};
  }
  const root = Math.sqrt(sizeOf(shape));
  return {fanIn: root, fanOut: root};
}

/** Distributions tfjs's `VarianceScaling` config may name, plus Keras 3's `untruncatedNormal`. */
export type BuiltinDistribution = 'normal' | 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** The config of tfjs's `VarianceScaling`, unchanged. */
export interface BuiltinVarianceScalingOptions {
  scale: number;
  mode: FanMode;
  distribution: BuiltinDistribution;
  seed: number | null;
}

const SCHEMA: Schema<BuiltinVarianceScalingOptions> = {
  scale: nonNegative(1),
  mode: oneOf(['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'] as const, 'fanIn'),
  distribution: oneOf(['normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'] as const, 'normal'),
  seed: seed(),
};

/** `normal` is Keras 2's alias of the corrected truncated normal; the rest map one to one. */
const DRAW: Readonly<Record<BuiltinDistribution, ScalingDistribution>> = {
  normal: 'truncatedNormal',
  truncatedNormal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  uniform: 'uniform',
};

/**
 * tfjs's `VarianceScaling`, fixed (registered in its place by `useFixedBuiltins`). Same class name,
 * same config `{scale, mode, distribution, seed}`, same fans and defaults (scale 1, `fanIn`,
 * `normal`), but:
 *
 *     σ² = scale / max(1, fan);  normal, truncatedNormal: N(0, s²) cut at ±2s, s = σ / 0.87962566103423978
 *     untruncatedNormal (Keras 3): N(0, σ²);  uniform: U[−√3·σ, √3·σ]
 *
 * tfjs draws `normal` as a truncated normal without the 0.8796 correction (variance 0.77·σ²,
 * upstream #8594) and `truncatedNormal` as a uniform; seed 0 counts as a seed here.
 *
 * @example
 * ```ts
 * useFixedBuiltins();
 * tf.layers.dense({units: 8, kernelInitializer: 'varianceScaling'});   // now the fixed class
 * ```
 * @see tfjs-layers `VarianceScaling`; Keras 3 `keras.initializers.VarianceScaling`.
 */
export class FixedVarianceScaling extends BaseInitializer<BuiltinVarianceScalingOptions> {
  static override className = 'VarianceScaling';

  constructor(args: Partial<BuiltinVarianceScalingOptions> = {}) {
    super(args, SCHEMA);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const {scale, mode, distribution} = this.options;
    const fans = tfjsFans(shape);
    const variance = scaledVariance(scale, mode, {fanIn: Math.max(1, fans.fanIn), fanOut: Math.max(1, fans.fanOut)});
    const values = new Float32Array(sizeOf(shape));
    fillScaled(values, variance, DRAW[distribution], resolveSeed(this.options.seed));
    return tensor(values, shape, dtype);
  }
}

/** A tfjs helper class (GlorotUniform, HeNormal, ...) that takes `{seed}` and saves as `VarianceScaling`. */
function preset(name: string, scale: number, mode: FanMode, distribution: BuiltinDistribution): typeof FixedVarianceScaling {
  const seedOnly: Schema<{seed: number | null}> = {seed: seed()};
  const cls = class extends FixedVarianceScaling {
    static override className = name;

    constructor(args: {seed?: number | null} = {}) {
      super({scale, mode, distribution, seed: parseOptions(name, args, seedOnly).seed});
    }

    /** tfjs saves these helpers as the `VarianceScaling` they are. */
    override getClassName(): string {
      return FixedVarianceScaling.className;
    }
  };
  return cls as unknown as typeof FixedVarianceScaling;
}

/** tfjs's `GlorotUniform` (scale 1, fanAvg, uniform), fixed: see {@link FixedVarianceScaling}. */
export const FixedGlorotUniform = preset('GlorotUniform', 1, 'fanAvg', 'uniform');
/** tfjs's `GlorotNormal` (scale 1, fanAvg, corrected truncated normal). */
export const FixedGlorotNormal = preset('GlorotNormal', 1, 'fanAvg', 'normal');
/** tfjs's `HeUniform` (scale 2, fanIn, uniform). */
export const FixedHeUniform = preset('HeUniform', 2, 'fanIn', 'uniform');
/** tfjs's `HeNormal` (scale 2, fanIn, corrected truncated normal). */
export const FixedHeNormal = preset('HeNormal', 2, 'fanIn', 'normal');
/** tfjs's `LeCunUniform` (scale 1, fanIn, uniform). */
export const FixedLeCunUniform = preset('LeCunUniform', 1, 'fanIn', 'uniform');
/** tfjs's `LeCunNormal` (scale 1, fanIn, corrected truncated normal). */
export const FixedLeCunNormal = preset('LeCunNormal', 1, 'fanIn', 'normal');
