import {fail} from '../core/errors';
import {
  FAN_AXES_SCHEMA,
  checkFanAxes,
  resolveFans,
  type FanAxes,
  type FanOptions,
  type Fans,
} from '../fans';
import {oneOf, optionalPositiveInteger, positive, seed, type Schema} from '../core/options';
import {fillNormal, fillTruncNormal, fillUniform} from '../random/samplers';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';

/** Which fan the variance is divided by. `fanGeoAvg` is √(fanIn·fanOut). */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg' | 'fanGeoAvg';

/**
 * Distribution of a variance-scaling draw, each with variance exactly σ²:
 * `truncatedNormal` — N(0, s²) truncated to [−2s, 2s] with s = σ / 0.87962566103423978;
 * `untruncatedNormal` — N(0, σ²); `uniform` — U[−√3·σ, √3·σ].
 */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Every fan mode, for validation. */
export const FAN_MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'];

/** Every distribution, for validation. */
export const SCALING_DISTRIBUTIONS: readonly ScalingDistribution[] = [
  'truncatedNormal',
  'untruncatedNormal',
  'uniform',
];

/**
 * Standard deviation of a standard normal truncated to [−2, 2]: √(1 − 4φ(2)/(2Φ(2) − 1)). Dividing
 * the draw's std by it gives the truncated draw the intended variance (Keras 3, JAX).
 */
export const TRUNCATED_STD_RATIO = 0.87962566103423978;

/** The three numbers that define every variance-scaling scheme (JAX's `variance_scaling`). */
export interface Scaling {
  scale: number;
  mode: FanMode;
  distribution: ScalingDistribution;
}

/** Options every variance-scaling initializer shares, parsed. */
export interface ScaledOptions extends FanOptions {
  seed: number | null;
}

/**
 * Options every variance-scaling initializer takes: a seed, and how its fans are found — from the
 * tfjs layout by default, from explicit `fanIn` / `fanOut`, or from axes ({@link FanAxes}: JAX's
 * `inAxis` / `outAxis` / `batchAxis`, or Keras 3's `inputAxes` / `outputAxes`). Explicit fans and
 * axes cannot be combined.
 */
export interface FanArgs extends FanAxes {
  /** Integer in [0, 2^53 − 1]. Seeded instances return the same values on every call. */
  seed?: number | null;
  /** Replaces the fan-in computed from the kernel shape. */
  fanIn?: number | null;
  /** Replaces the fan-out computed from the kernel shape. */
  fanOut?: number | null;
}

/** The schema of {@link ScaledOptions}, which every variance-scaling preset spreads after its own options. */
export const SCALED_SCHEMA: Schema<ScaledOptions> = {
  seed: seed(),
  fanIn: optionalPositiveInteger(),
  fanOut: optionalPositiveInteger(),
  ...FAN_AXES_SCHEMA,
};

/**
 * Target variance σ² = scale / n, with n = fanIn, fanOut, (fanIn + fanOut)/2 or √(fanIn·fanOut).
 *
 * @param scale a finite number ≥ 0; @param mode one of {@link FAN_MODES};
 * @param fans finite fans > 0 (see `computeFans`).
 * @example
 * ```ts
 * scaledVariance(2, 'fanIn', computeFans([784, 128]));   // 2 / 784, He et al.
 * ```
 * @see JAX `variance_scaling`; Keras 3 `VarianceScaling`.
 */
export function scaledVariance(scale: number, mode: FanMode, fans: Fans): number {
  const owner = 'scaledVariance';
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0)
    fail(owner, 'scale', 'a finite number >= 0', scale);
  if (!FAN_MODES.includes(mode))
    fail(owner, 'mode', `one of ${FAN_MODES.map((m) => `'${m}'`).join(', ')}`, mode);
  if (typeof fans !== 'object' || fans === null)
    fail(owner, 'fans', 'an object {fanIn, fanOut}', fans);
  for (const key of ['fanIn', 'fanOut'] as const) {
    const fan: unknown = fans[key];
    if (typeof fan !== 'number' || !Number.isFinite(fan) || fan <= 0)
      fail(owner, `fans.${key}`, 'a finite number > 0', fan);
  }
  switch (mode) {
    case 'fanIn':
      return scale / fans.fanIn;
    case 'fanOut':
      return scale / fans.fanOut;
    case 'fanAvg':
      return scale / ((fans.fanIn + fans.fanOut) / 2);
    case 'fanGeoAvg':
      return scale / Math.sqrt(fans.fanIn * fans.fanOut);
  }
}

/**
 * Fills `out` with zero-mean draws of variance `variance` from `distribution`, from the random
 * stream (seed, 0). The one place where a variance becomes numbers, shared by every preset and by
 * the fixed tfjs built-ins.
 */
export function fillScaled(
  out: Float32Array,
  variance: number,
  distribution: ScalingDistribution,
  seedValue: number,
): void {
  if (variance === 0) {
    out.fill(0);
    return;
  }
  const sigma = Math.sqrt(variance);
  if (distribution === 'uniform') {
    const limit = Math.sqrt(3) * sigma;
    fillUniform(out, seedValue, 0, -limit, limit);
  } else if (distribution === 'untruncatedNormal') {
    fillNormal(out, seedValue, 0, 0, sigma);
  } else {
    const s = sigma / TRUNCATED_STD_RATIO;
    fillTruncNormal(out, seedValue, 0, 0, s, -2 * s, 2 * s);
  }
}

/**
 * The one variance-scaling core (as in JAX and Keras 3): draws a float32 tensor whose elements have
 * variance scale / n from a {@link ScalingDistribution}. Named schemes (Xavier, Kaiming, LeCun, ...)
 * are thin presets that only say which {@link Scaling} they mean.
 */
export abstract class ScaledInitializer<O extends ScaledOptions> extends FillInitializer<O> {
  /** Rank ≥ 2 for the fans (any rank with explicit fans or axes). */
  static override readonly shapes: ShapeFacts = {ranks: [2, Infinity], example: [4, 6]};

  /** @param schema the class's own options followed by {@link SCALED_SCHEMA}. */
  protected constructor(args: unknown, schema: Schema<O>) {
    super(args, schema, (o, owner) => {
      checkFanAxes(owner, o, o);
      return o;
    });
  }

  /** The scheme: scale, fan mode and distribution. */
  protected abstract scaling(): Scaling;

  protected override checkFits(shape: number[]): void {
    resolveFans(shape, this.options, this.getClassName());
  }

  protected fill(out: Float32Array, shape: number[]): void {
    const {scale, mode, distribution} = this.scaling();
    const fans = resolveFans(shape, this.options, this.getClassName());
    fillScaled(
      out,
      scaledVariance(scale, mode, fans),
      distribution,
      resolveSeed(this.options.seed),
    );
  }
}

/** Options of {@link VarianceScalingInitializer}. */
export interface VarianceScalingInitializerArgs extends FanArgs {
  /** Variance numerator. Default 1. */
  scale?: number;
  /** Denominator: `'fanIn'` (default), `'fanOut'`, `'fanAvg'` or `'fanGeoAvg'`. */
  mode?: FanMode;
  /** `'truncatedNormal'` (default), `'untruncatedNormal'` or `'uniform'`. */
  distribution?: ScalingDistribution;
}

interface VarianceScalingOptions extends ScaledOptions, Scaling {}

const SCHEMA: Schema<VarianceScalingOptions> = {
  scale: positive(1),
  mode: oneOf(FAN_MODES, 'fanIn'),
  distribution: oneOf(SCALING_DISTRIBUTIONS, 'truncatedNormal'),
  ...SCALED_SCHEMA,
};

/**
 * Variance scaling, the core every named scheme is a preset of (Keras 3's and JAX's
 * `VarianceScaling` / `variance_scaling`):
 *
 *     σ² = scale / n,   n = fanIn | fanOut | (fanIn + fanOut)/2 | √(fanIn·fanOut)
 *     truncatedNormal:   W ~ N(0, s²) restricted to [−2s, 2s],  s = σ / 0.87962566103423978
 *     untruncatedNormal: W ~ N(0, σ²)
 *     uniform:           W ~ U[−√3·σ, √3·σ]
 *
 * so Var(W) = σ² for all three. Fans come from the tfjs kernel layout (Dense `[in, out]`, Conv
 * `[...k, in, out]` times the receptive field) unless `fanIn` / `fanOut` or axes are given: JAX's
 * `inAxis` / `outAxis` / `batchAxis` (other axes are the receptive field; batch axes count in
 * neither fan) or Keras 3's `inputAxes` / `outputAxes` (other axes are ignored) — see
 * `computeFans`. Unlike tfjs's built-in `VarianceScaling`, `truncatedNormal` really is a truncated
 * normal and its variance is corrected for the truncation.
 *
 * @example
 * ```ts
 * new VarianceScalingInitializer({scale: 2, mode: 'fanIn', distribution: 'untruncatedNormal'}).apply([256, 128]);
 * // an attention query kernel [dModel, heads, headDim]: fanIn = 512, not 8·512
 * new VarianceScalingInitializer({mode: 'fanAvg', inAxis: 0, outAxis: [1, 2]}).apply([512, 8, 64]);
 * tf.layers.conv2d({filters: 32, kernelSize: 3,
 *   kernelInitializer: new VarianceScalingInitializer({scale: 1 / 3, mode: 'fanIn', distribution: 'uniform'})});
 * tf.layers.dense({units: 10, kernelInitializer: 'varianceScalingInitializer'}); // LeCun normal
 * ```
 * @see Keras 3 `keras.initializers.VarianceScaling`; JAX `jax.nn.initializers.variance_scaling`;
 * He et al., "Delving Deep into Rectifiers", ICCV 2015.
 */
export class VarianceScalingInitializer extends ScaledInitializer<VarianceScalingOptions> {
  static override className = 'VarianceScalingInitializer';

  constructor(args: VarianceScalingInitializerArgs = {}) {
    super(args, SCHEMA);
  }

  protected scaling(): Scaling {
    const {scale, mode, distribution} = this.options;
    return {scale, mode, distribution};
  }
}
register(VarianceScalingInitializer, {aliases: ['VarianceScalingInit']});

/** Factory for {@link VarianceScalingInitializer}: `varianceScalingInitializer({scale: 2})`. */
export function varianceScalingInitializer(
  args?: VarianceScalingInitializerArgs,
): VarianceScalingInitializer {
  return new VarianceScalingInitializer(args);
}
