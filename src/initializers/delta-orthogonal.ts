import {InitializerError, describeValue} from '../core/errors';
import {positive, seed, type Schema} from '../core/options';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';
import {CONV_KERNEL_SHAPES, centreOffset, centreTapOption, type CentreTap} from './centre-tap';
import {fillOrthogonal} from './orthogonal';

/** Options of {@link DeltaOrthogonal}. */
export interface DeltaOrthogonalArgs {
  /** Multiplier of the orthogonal centre matrix. Default 1. */
  gain?: number;
  /** Integer in [0, 2^53 − 1]. Seeded instances return the same values on every call. */
  seed?: number | null;
  /** Centre tap of even kernel sizes: `'lower'` (default, (k−1)/2, JAX) or `'upper'` (k/2). */
  tap?: CentreTap;
}

interface DeltaOrthogonalOptions {
  gain: number;
  seed: number | null;
  tap: CentreTap;
}

const SCHEMA: Schema<DeltaOrthogonalOptions> = {
  gain: positive(1),
  seed: seed(),
  tap: centreTapOption,
};

/**
 * Delta-orthogonal initialization (Xiao et al. 2018), JAX's `delta_orthogonal`, for tfjs conv
 * kernels `[...k, in, out]` (Conv1D/2D/3D) with in ≤ out:
 *
 *     W[c…, :, :] = gain · H,  H a Haar-random in × out matrix with orthonormal rows (HHᵀ = I);
 *     W = 0 at every other tap
 *
 * c… is the centre tap of every kernel axis (⌊(k − 1)/2⌋, as JAX, by default; `tap: 'upper'` for
 * ⌊k/2⌋). The convolution is then norm-preserving at initialization (dynamical isometry), which
 * let Xiao et al. train 10,000-layer vanilla CNNs. H comes from {@link OrthogonalInitializer}'s
 * fast Haar sampler.
 *
 * @example
 * ```ts
 * tf.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', activation: 'tanh',
 *   kernelInitializer: new DeltaOrthogonal({gain: 1, seed: 3})});
 * ```
 * @see Xiao, Bahri, Sohl-Dickstein, Schoenholz & Pennington, "Dynamical Isometry and a Mean Field
 * Theory of CNNs: How to Train 10,000-Layer Vanilla Convolutional Neural Networks", ICML 2018
 * (Algorithm 2); `jax.nn.initializers.delta_orthogonal`.
 */
export class DeltaOrthogonal extends FillInitializer<DeltaOrthogonalOptions> {
  static override className = 'DeltaOrthogonal';
  static override readonly shapes: ShapeFacts = CONV_KERNEL_SHAPES;

  constructor(args: DeltaOrthogonalArgs = {}) {
    super(args, SCHEMA);
  }

  protected override checkFits(shape: number[]): void {
    const owner = this.getClassName();
    centreOffset(owner, shape, this.options.tap);
    const inChannels = shape[shape.length - 2];
    const out = shape[shape.length - 1];
    if (inChannels > out) {
      throw new InitializerError(
        owner,
        'shape',
        `needs inChannels <= outChannels (an orthogonal [in, out] ` +
          `centre with orthonormal rows). Received: ` +
          `shape=${describeValue(shape)} (in ${inChannels} > ` +
          `out ${out})`,
      );
    }
  }

  protected fill(values: Float32Array, shape: number[], zeroed: boolean): void {
    const base = centreOffset(this.getClassName(), shape, this.options.tap);
    const inChannels = shape[shape.length - 2];
    const out = shape[shape.length - 1];
    if (!zeroed) values.fill(0);
    fillOrthogonal(
      values.subarray(base, base + inChannels * out),
      inChannels,
      out,
      this.options.gain,
      resolveSeed(this.options.seed),
    );
  }
}
register(DeltaOrthogonal);

/** Factory for {@link DeltaOrthogonal}. */
export function deltaOrthogonal(args?: DeltaOrthogonalArgs): DeltaOrthogonal {
  return new DeltaOrthogonal(args);
}
