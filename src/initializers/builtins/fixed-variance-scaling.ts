import {tensor, type DataType, type Tensor, type serialization} from '@tensorflow/tfjs-core';
import {nonNegative, oneOf, optionalAxes, seed, type Axes, type Schema} from '../../core/options';
import {checkFanAxes, fansFromAxes, type Fans, type ParsedFanAxes} from '../../fans';
import {resolveSeed} from '../../random/seed';
import {sizeOf} from '../../core/tensor-args';
import {BaseInitializer} from '../base';
import {
  FAN_MODES,
  fillScaled,
  scaledVariance,
  type FanMode,
  type ScalingDistribution,
} from '../variance-scaling';
import {TFJS_DEFAULTS, TFJS_PRESETS, tfjsFans} from './tfjs-builtins';

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
  scale: nonNegative(TFJS_DEFAULTS.scale),
  mode: oneOf(FAN_MODES, TFJS_DEFAULTS.mode),
  distribution: oneOf(
    ['normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'] as const,
    TFJS_DEFAULTS.distribution,
  ),
  seed: seed(),
  ...KERAS_AXES,
};

/** The options of a preset (GlorotUniform, ...): a seed and Keras 3.15's fan axes. */
interface PresetOptions extends KerasFanAxes {
  seed: number | null;
}

const PRESET_SCHEMA: Schema<PresetOptions> = {seed: seed(), ...KERAS_AXES};

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

/** The scheme of a fixed variance-scaling built-in. */
interface BuiltinScaling {
  scale: number;
  mode: FanMode;
  distribution: BuiltinDistribution;
}

/**
 * The draw every fixed variance-scaling built-in shares: σ² = scale / max(1, fan), with Keras 3's
 * fans when its axes are given, else tfjs's (tfjs-builtins.ts), drawn from the corrected
 * distribution.
 */
abstract class FixedScaled<O extends PresetOptions> extends BaseInitializer<O> {
  /** The scheme: scale, fan mode and distribution. */
  protected abstract scaling(): BuiltinScaling;

  protected override checkFits(shape: number[]): void {
    builtinFans(shape, this.options, this.getClassName());
  }

  /** tfjs's config format, unchanged (`{scale, mode, distribution, seed}`); Keras 3's axes only when given. */
  override getConfig(): serialization.ConfigDict {
    const {inputAxes, outputAxes, seed: ownSeed} = super.getConfig();
    return {
      ...this.scaling(),
      seed: ownSeed,
      ...(this.options.inputAxes === null ? {} : {inputAxes, outputAxes}),
    };
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const {scale, mode, distribution} = this.scaling();
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
export class FixedVarianceScaling extends FixedScaled<BuiltinVarianceScalingOptions> {
  static override className = 'VarianceScaling';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;

  constructor(args: Partial<BuiltinVarianceScalingOptions> = {}) {
    super(args, SCHEMA, (o, owner) => {
      checkFanAxes(owner, asFanAxes(o));
      return o;
    });
  }

  protected scaling(): BuiltinScaling {
    const {scale, mode, distribution} = this.options;
    return {scale, mode, distribution};
  }
}

/** Options of a fixed preset: a seed and Keras 3.15's fan axes. */
interface PresetArgs {
  seed?: number | null;
  inputAxes?: Axes | null;
  outputAxes?: Axes | null;
}

/**
 * A tfjs helper class (GlorotUniform, HeNormal, ...) with tfjs's scale, mode and distribution for
 * it (tfjs-builtins.ts), fixed: takes `{seed}` (and Keras 3.15's `inputAxes` / `outputAxes`) and
 * saves as the `VarianceScaling` it is.
 */
function preset(name: string): new (args?: PresetArgs) => BaseInitializer<PresetOptions> {
  const {scale, mode, distribution} = TFJS_PRESETS[name];
  return class extends FixedScaled<PresetOptions> {
    static override className = name;

    constructor(args: PresetArgs = {}) {
      super(args, PRESET_SCHEMA, (o, owner) => {
        checkFanAxes(owner, asFanAxes(o));
        return o;
      });
    }

    protected scaling(): BuiltinScaling {
      return {scale, mode, distribution};
    }

    /** tfjs saves these helpers as the `VarianceScaling` they are. */
    override getClassName(): string {
      return FixedVarianceScaling.className;
    }
  };
}

/** tfjs's `GlorotUniform` (scale 1, fanAvg, uniform), fixed: see {@link FixedVarianceScaling}. */
export const FixedGlorotUniform = preset('GlorotUniform');
/** tfjs's `GlorotNormal` (scale 1, fanAvg, corrected truncated normal). */
export const FixedGlorotNormal = preset('GlorotNormal');
/** tfjs's `HeUniform` (scale 2, fanIn, uniform). */
export const FixedHeUniform = preset('HeUniform');
/** tfjs's `HeNormal` (scale 2, fanIn, corrected truncated normal). */
export const FixedHeNormal = preset('HeNormal');
/** tfjs's `LeCunUniform` (scale 1, fanIn, uniform). */
export const FixedLeCunUniform = preset('LeCunUniform');
/** tfjs's `LeCunNormal` (scale 1, fanIn, corrected truncated normal). */
export const FixedLeCunNormal = preset('LeCunNormal');
