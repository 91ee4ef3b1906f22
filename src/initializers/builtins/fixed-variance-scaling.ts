import {tensor, type DataType, type Tensor, type serialization} from '@tensorflow/tfjs-core';
import {
  nonNegative,
  oneOf,
  optionalAxes,
  parseOptions,
  seed,
  type Axes,
  type Schema,
} from '../../core/options';
import {checkFanAxes, fansFromAxes, type Fans, type ParsedFanAxes} from '../../fans';
import {resolveSeed} from '../../random/seed';
import {sizeOf} from '../../core/tensor-args';
import {BaseInitializer} from '../base';
import {
  fillScaled,
  scaledVariance,
  type FanMode,
  type ScalingDistribution,
} from '../variance-scaling';

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

/** Keras 3.15's fan axes (`input_axes`, `output_axes`), as tfjs hands them over on load. */
export interface KerasFanAxes {
  inputAxes: Axes | null;
  outputAxes: Axes | null;
}

/** The config of tfjs's `VarianceScaling`, unchanged, plus Keras 3.15's fan axes. */
export interface BuiltinVarianceScalingOptions extends KerasFanAxes {
  scale: number;
  mode: FanMode;
  distribution: BuiltinDistribution;
  seed: number | null;
}

const KERAS_AXES: Schema<KerasFanAxes> = {inputAxes: optionalAxes(), outputAxes: optionalAxes()};

const SCHEMA: Schema<BuiltinVarianceScalingOptions> = {
  scale: nonNegative(1),
  mode: oneOf(['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'] as const, 'fanIn'),
  distribution: oneOf(
    ['normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'] as const,
    'normal',
  ),
  seed: seed(),
  ...KERAS_AXES,
};

/** Keras's axes as the five fan-axis options (the JAX ones unset). */
const asFanAxes = (o: KerasFanAxes): ParsedFanAxes => ({
  inAxis: null,
  outAxis: null,
  batchAxis: null,
  inputAxes: o.inputAxes,
  outputAxes: o.outputAxes,
});

/** Keras 3's fans when its axes are given (both, checked at construction), else tfjs's. */
function builtinFans(shape: readonly number[], o: KerasFanAxes, owner: string): Fans {
  return fansFromAxes(shape, asFanAxes(o), owner) ?? tfjsFans(shape);
}

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
 * Keras 3.15's `input_axes` / `output_axes` (saved by Keras 3 for `VarianceScaling`, `Glorot*`,
 * `He*`, `Lecun*`) are read too: given both, fanIn = ∏shape[inputAxes] and fanOut =
 * ∏shape[outputAxes] (other axes ignored, as in Keras); one without the other is refused (Keras
 * silently ignores it). tfjs's own classes drop both without a word.
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
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;

  constructor(args: Partial<BuiltinVarianceScalingOptions> = {}) {
    super(args, SCHEMA, (o, owner) => {
      checkFanAxes(owner, asFanAxes(o));
      return o;
    });
  }

  protected override checkFits(shape: number[]): void {
    builtinFans(shape, this.options, this.getClassName());
  }

  /** tfjs's config format, unchanged; Keras 3's `inputAxes` / `outputAxes` only when given. */
  override getConfig(): serialization.ConfigDict {
    const config = super.getConfig();
    if (this.options.inputAxes === null) {
      delete config.inputAxes;
      delete config.outputAxes;
    }
    return config;
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const {scale, mode, distribution} = this.options;
    const fans = builtinFans(shape, this.options, this.getClassName());
    const variance = scaledVariance(scale, mode, {
      fanIn: Math.max(1, fans.fanIn),
      fanOut: Math.max(1, fans.fanOut),
    });
    const values = new Float32Array(sizeOf(shape));
    fillScaled(values, variance, DRAW[distribution], resolveSeed(this.options.seed));
    return tensor(values, shape, dtype);
  }
}

/**
 * A tfjs helper class (GlorotUniform, HeNormal, ...) that takes `{seed}` (and Keras 3.15's
 * `inputAxes` / `outputAxes`) and saves as `VarianceScaling`.
 */
function preset(
  name: string,
  scale: number,
  mode: FanMode,
  distribution: BuiltinDistribution,
): typeof FixedVarianceScaling {
  const own: Schema<{seed: number | null} & KerasFanAxes> = {seed: seed(), ...KERAS_AXES};
  const checkedOwn = (args: unknown): {seed: number | null} & KerasFanAxes => {
    const o = parseOptions(name, args, own);
    checkFanAxes(name, asFanAxes(o));
    return o;
  };
  const cls = class extends FixedVarianceScaling {
    static override className = name;

    constructor(
      args: {seed?: number | null; inputAxes?: Axes | null; outputAxes?: Axes | null} = {},
    ) {
      super({scale, mode, distribution, ...checkedOwn(args)});
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
