import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {orthonormalFactor} from '../linalg/qr';
import {positive, seed, type Schema} from '../options';
import {fillNormal} from '../random/samplers';
import {resolveSeed} from '../random/seed';
import {register} from '../registry';
import {sizeOf} from '../tensor-args';
import {BaseInitializer} from './base';

/** Options of {@link OrthogonalInitializer}. */
export interface OrthogonalArgs {
  /** Multiplier of the orthogonal matrix. Default 1. */
  gain?: number;
  seed?: number | null;
}

interface OrthogonalOptions {
  gain: number;
  seed: number | null;
}

const SCHEMA: Schema<OrthogonalOptions> = {gain: positive(1), seed: seed()};

/**
 * Fills `out` (row-major rows × cols) with gain · Q, Q Haar-distributed with orthonormal columns
 * (rows ≥ cols) or orthonormal rows (rows < cols), from Gaussian draws of (seed, stream 0).
 */
export function fillOrthogonal(out: Float32Array, rows: number, cols: number, gain: number, seedValue: number): void {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const gauss = new Float32Array(m * n);
  fillNormal(gauss, seedValue, 0, 0, 1);
  // Element t of the draw is entry (t mod m, ⌊t/m⌋) of the tall m × n matrix, column-major.
  const q = orthonormalFactor(Float64Array.from(gauss), m, n);
  if (rows >= cols) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[j * m + i];
  } else {
    // Wide: the result is Qᵀ, whose rows are orthonormal.
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[i * m + j];
  }
}

/**
 * Orthogonal initialization (Saxe et al. 2014), Keras 3's `OrthogonalInitializer`, PyTorch's
 * `orthogonal_`:
 *
 *     A ~ N(0, 1)^{r×c},  r = ∏shape[:-1], c = shape[-1];  A = QR (of Aᵀ if r < c);
 *     W = gain · Q · diag(sign(diag R))   (transposed back if r < c)
 *
 * The sign correction makes Q Haar-distributed (uniform over orthogonal matrices). Tall kernels get
 * orthonormal columns (WᵀW = gain²·I), wide ones orthonormal rows (WWᵀ = gain²·I).
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 256, kernelInitializer: new OrthogonalInitializer({gain: Math.SQRT2})});
 * tf.layers.simpleRNN({units: 64, recurrentInitializer: 'OrthogonalInitializer'});
 * ```
 * @see Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep
 * linear neural networks", ICLR 2014; Mezzadri, "How to generate random matrices from the classical
 * compact groups", 2007; `torch.nn.init.orthogonal_`.
 */
export class OrthogonalInitializer extends BaseInitializer<OrthogonalOptions> {
  static override className = 'OrthogonalInitializer';
  protected override readonly minRank = 2;

  constructor(args: OrthogonalArgs = {}) {
    super(args, SCHEMA);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const values = new Float32Array(rows * cols);
    fillOrthogonal(values, rows, cols, this.options.gain, resolveSeed(this.options.seed));
    return tensor(values, shape, dtype);
  }
}
register(OrthogonalInitializer);

/** Factory for {@link OrthogonalInitializer}. */
export function orthogonalInitializer(args?: OrthogonalArgs): OrthogonalInitializer {
  return new OrthogonalInitializer(args);
}
