import {InitializerError} from '../core/errors';
import {
  boundOrInfinite,
  finiteNumber,
  nonNegative,
  positive,
  seed,
  type Schema,
} from '../core/options';
import {checkTruncatedDrawable, fillNormal, fillTruncNormal, fillUniform} from '../random/samplers';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';

/** Fails unless lower < upper, naming both options. */
function ordered(owner: string, lowKey: string, low: number, highKey: string, high: number): void {
  if (!(low < high)) {
    throw new InitializerError(
      owner,
      highKey,
      `option \`${lowKey}\` must be less than \`${highKey}\`. Received: ${lowKey}=${low}, ${highKey}=${high}`,
    );
  }
}

/** Options of {@link Uniform}. */
export interface UniformArgs {
  /** Lower bound. Default 0. */
  low?: number;
  /** Upper bound (exclusive). Default 1. */
  high?: number;
  /** Integer in [0, 2^53 − 1]. Seeded instances return the same values on every call. */
  seed?: number | null;
}

interface UniformOptions {
  low: number;
  high: number;
  seed: number | null;
}

const UNIFORM: Schema<UniformOptions> = {low: finiteNumber(0), high: finiteNumber(1), seed: seed()};

/**
 * Uniform initialization, PyTorch's `uniform_(a, b)`:
 *
 *     W ~ U[low, high)
 *
 * Mean (low + high)/2, variance (high − low)²/12. Unlike tfjs's `RandomUniform`, `low: 0` means 0.
 *
 * @example
 * ```ts
 * new Uniform({low: -0.1, high: 0.1, seed: 3}).apply([128, 64]);
 * tf.layers.embedding({inputDim: 1000, outputDim: 32, embeddingsInitializer: new Uniform({low: -0.05, high: 0.05})});
 * ```
 * @see `torch.nn.init.uniform_`; Keras 3 `RandomUniform`; JAX `uniform` (which is U[0, scale)).
 */
export class Uniform extends FillInitializer<UniformOptions> {
  static override className = 'Uniform';

  constructor(args: UniformArgs = {}) {
    super(args, UNIFORM, (o, owner) => {
      ordered(owner, 'low', o.low, 'high', o.high);
      return o;
    });
  }

  protected fill(out: Float32Array): void {
    fillUniform(out, resolveSeed(this.options.seed), 0, this.options.low, this.options.high);
  }
}
register(Uniform);

/** Options of {@link Normal}. */
export interface NormalArgs {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation (≥ 0). Default 1. */
  std?: number;
  seed?: number | null;
}

interface NormalOptions {
  mean: number;
  std: number;
  seed: number | null;
}

const NORMAL: Schema<NormalOptions> = {mean: finiteNumber(0), std: nonNegative(1), seed: seed()};

/**
 * Normal initialization, PyTorch's `normal_(mean, std)`:
 *
 *     W ~ N(mean, std²)
 *
 * untruncated. (tfjs's and Keras's `RandomNormal` default to std 0.05; PyTorch's to 1.)
 *
 * @example
 * ```ts
 * new Normal({std: 0.02, seed: 1}).apply([768, 768]);   // GPT-2 style
 * tf.layers.dense({units: 10, kernelInitializer: new Normal({mean: 0, std: 0.01})});
 * ```
 * @see `torch.nn.init.normal_`; Keras 3 `RandomNormal`; JAX `normal`.
 */
export class Normal extends FillInitializer<NormalOptions> {
  static override className = 'Normal';

  constructor(args: NormalArgs = {}) {
    super(args, NORMAL);
  }

  protected fill(out: Float32Array): void {
    fillNormal(out, resolveSeed(this.options.seed), 0, this.options.mean, this.options.std);
  }
}
register(Normal);

/** Options of {@link TruncNormal}. */
export interface TruncNormalArgs {
  /** Mean of the underlying normal. Default 0. */
  mean?: number;
  /** Standard deviation of the underlying (untruncated) normal, > 0. Default 1. */
  std?: number;
  /** Absolute lower bound. Default −2. */
  a?: number;
  /** Absolute upper bound. Default 2. */
  b?: number;
  seed?: number | null;
}

interface TruncNormalOptions {
  mean: number;
  std: number;
  a: number;
  b: number;
  seed: number | null;
}

const TRUNC: Schema<TruncNormalOptions> = {
  mean: finiteNumber(0),
  std: positive(1),
  a: finiteNumber(-2),
  b: finiteNumber(2),
  seed: seed(),
};

/** {@link TRUNC} with bounds that may be ±Infinity, for in-place fills, which are never saved. */
const TRUNC_UNSAVED: Schema<TruncNormalOptions> = {
  ...TRUNC,
  a: boundOrInfinite(-2),
  b: boundOrInfinite(2),
};

/** The truncated-normal draw shared by {@link TruncNormal} and {@link UnsavedTruncNormal}. */
abstract class TruncatedDraw extends FillInitializer<TruncNormalOptions> {
  /** @param schema {@link TRUNC} (finite bounds) or {@link TRUNC_UNSAVED} (±Infinity allowed). */
  protected constructor(args: unknown, schema: Schema<TruncNormalOptions>) {
    super(args, schema, (o, owner) => {
      ordered(owner, 'a', o.a, 'b', o.b);
      checkTruncatedDrawable(owner, o.mean, o.std, o.a, o.b);
      return o;
    });
  }

  protected fill(out: Float32Array): void {
    const {mean, std, a, b} = this.options;
    fillTruncNormal(out, resolveSeed(this.options.seed), 0, mean, std, a, b);
  }
}

/**
 * Truncated normal initialization, PyTorch's `trunc_normal_(mean, std, a, b)`:
 *
 *     W ~ N(mean, std²) conditioned on a ≤ W ≤ b
 *
 * The bounds are **absolute** values (PyTorch), not multiples of std (Keras's and tfjs's
 * `TruncatedNormal` and JAX's `truncated_normal` cut at mean ± 2·std). `std` is that of the
 * untruncated normal: the result's variance is smaller (0.774·std² for the default bounds
 * ±2 with mean 0, std 1). Exact, by rejection: every value lies in [a, b].
 *
 * @example
 * ```ts
 * new TruncNormal({std: 0.02, a: -0.04, b: 0.04}).apply([768, 3072]);   // ViT / timm style
 * tf.layers.dense({units: 10, kernelInitializer: new TruncNormal({std: 0.02, a: -2, b: 2})});
 * ```
 * @see `torch.nn.init.trunc_normal_`; Keras 3 `TruncatedNormal`; JAX `truncated_normal`.
 */
export class TruncNormal extends TruncatedDraw {
  static override className = 'TruncNormal';

  constructor(args: TruncNormalArgs = {}) {
    super(args, TRUNC);
  }
}
register(TruncNormal);

/**
 * {@link TruncNormal}'s draw with bounds `a` and `b` that may be −Infinity and +Infinity (one-sided
 * or no truncation), as `fillTruncNormal` and `torch.nn.init.trunc_normal_` allow: what
 * `truncNormal_` fills with. Its errors name `TruncNormal`, whose options it takes. Not registered
 * and not for layers: a saved config is JSON, which has no ±Infinity (tfjs would save it as null,
 * and it would reload as the default bound), so `TruncNormal` itself takes finite bounds only.
 */
export class UnsavedTruncNormal extends TruncatedDraw {
  static override className = TruncNormal.className;

  constructor(args: TruncNormalArgs = {}) {
    super(args, TRUNC_UNSAVED);
  }
}

/** Factory for {@link Uniform}: `uniform({low: -1, high: 1})`. */
export function uniform(args?: UniformArgs): Uniform {
  return new Uniform(args);
}

/** Factory for {@link Normal}: `normal({std: 0.02})`. */
export function normal(args?: NormalArgs): Normal {
  return new Normal(args);
}

/** Factory for {@link TruncNormal}: `truncNormal({std: 0.02, a: -0.04, b: 0.04})`. */
export function truncNormal(args?: TruncNormalArgs): TruncNormal {
  return new TruncNormal(args);
}
