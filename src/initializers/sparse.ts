import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue, fail} from '../core/errors';
import {nonNegative, optionalPositiveInteger, probability, seed, type Schema} from '../core/options';
import {fillNormal, randomIndex} from '../random/samplers';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {sizeOf} from '../core/tensor-args';
import {BaseInitializer} from './base';

/** Options of {@link SparseInit}. Give `sparsity` (PyTorch) or `nonzeroPerUnit` (Martens), not both. */
export interface SparseInitArgs {
  /** Fraction of each input row's weights set to zero (PyTorch's `sparsity`). Default 0.1. */
  sparsity?: number | null;
  /** Martens (2010): exactly this many non-zero incoming weights per output unit. */
  nonzeroPerUnit?: number | null;
  /** Standard deviation of the non-zero weights. Default 0.01 (PyTorch's default). */
  std?: number;
  /** Integer in [0, 2^53 − 1]; fixes values and zero positions. */
  seed?: number | null;
}

interface SparseOptions {
  sparsity: number | null;
  nonzeroPerUnit: number | null;
  std: number;
  seed: number | null;
}

const SCHEMA: Schema<SparseOptions> = {
  sparsity: probability(null),
  nonzeroPerUnit: optionalPositiveInteger(),
  std: nonNegative(0.01),
  seed: seed(),
};

/** PyTorch's default sparsity. */
const DEFAULT_SPARSITY = 0.1;

function refine(o: SparseOptions, owner: string): SparseOptions {
  if (o.sparsity !== null && o.nonzeroPerUnit !== null) {
    throw new InitializerError(
      owner,
      'nonzeroPerUnit',
      `give either \`sparsity\` (PyTorch) or \`nonzeroPerUnit\` (Martens), not both. Received: sparsity=${o.sparsity}, nonzeroPerUnit=${o.nonzeroPerUnit}`,
    );
  }
  return o.nonzeroPerUnit === null && o.sparsity === null ? {...o, sparsity: DEFAULT_SPARSITY} : o;
}

/**
 * Number of zeros per row, ⌈sparsity · cols⌉, computed on the product rounded to 12 significant
 * digits so that 0.1 · 30 gives 3 (PyTorch's plain float product gives 3.0000000000000004 → 4).
 *
 * @param sparsity a number in [0, 1]; @param cols an integer ≥ 1.
 * @example
 * ```ts
 * zerosPerRow(0.1, 30);   // 3
 * ```
 * @see `torch.nn.init.sparse_` (`num_zeros = ceil(sparsity * rows)`).
 */
export function zerosPerRow(sparsity: number, cols: number): number {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) fail('zerosPerRow', 'sparsity', 'a number in [0, 1]', sparsity);
  if (!Number.isSafeInteger(cols) || cols < 1) fail('zerosPerRow', 'cols', 'an integer >= 1', cols);
  return Math.ceil(Number((sparsity * cols).toPrecision(12)));
}

/**
 * Sparse initialization: most weights zero, the rest small Gaussians that break the symmetry.
 *
 * Kernels are viewed as `[rows, cols]` = `[∏shape[:-1], shape[-1]]` (inputs × units, the tfjs
 * layout). Every entry is first drawn W_ij ~ N(0, std²), then:
 *
 * - **PyTorch variant** (`sparsity = s`, the default, s = 0.1): in each input row exactly
 *   ⌈s · cols⌉ entries, at uniformly random distinct columns, are set to 0. This is
 *   `torch.nn.init.sparse_` applied to the PyTorch-layout weight `[out, in]`, whose *columns* are
 *   our rows.
 * - **Martens variant** (`nonzeroPerUnit = k`): in each output column exactly k entries, at
 *   uniformly random distinct rows, keep their value; all others are 0. Every unit thus has k
 *   non-zero incoming weights (Martens used k = 15 and std = 1).
 *
 * Positions and values both follow from the seed, so a seeded instance repeats itself exactly.
 *
 * @example
 * ```ts
 * new SparseInit({sparsity: 0.9, std: 0.01, seed: 1}).apply([784, 128]);
 * tf.layers.dense({units: 128, kernelInitializer: new SparseInit({nonzeroPerUnit: 15, std: 1})});
 * tf.layers.dense({units: 128, kernelInitializer: 'SparseInit'});
 * ```
 * @see Martens, "Deep learning via Hessian-free optimization", ICML 2010, §5;
 * `torch.nn.init.sparse_`.
 */
export class SparseInit extends BaseInitializer<SparseOptions> {
  static override className = 'SparseInit';
  protected override readonly minRank = 2;

  constructor(args: SparseInitArgs = {}) {
    super(args, SCHEMA, refine);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const {std, nonzeroPerUnit, sparsity} = this.options;
    const seed = resolveSeed(this.options.seed);
    const values =
      nonzeroPerUnit === null
        ? zeroPerRow(rows, cols, zerosPerRow(sparsity ?? DEFAULT_SPARSITY, cols), std, seed)
        : keepPerColumn(rows, cols, nonzeroPerUnit, std, seed);
    return tensor(values, shape, dtype);
  }

  protected override checkFits(shape: number[]): void {
    const k = this.options.nonzeroPerUnit;
    const rows = sizeOf(shape) / shape[shape.length - 1];
    if (k !== null && k > rows) {
      throw new InitializerError(
        this.getClassName(),
        'nonzeroPerUnit',
        `nonzeroPerUnit=${k} exceeds the ${rows} inputs of each unit for shape=${describeValue(shape)}; it must be <= ${rows}`,
      );
    }
  }
}
register(SparseInit);

/** Factory for {@link SparseInit}: `sparseInit({sparsity: 0.9})`. */
export function sparseInit(args?: SparseInitArgs): SparseInit {
  return new SparseInit(args);
}

/**
 * Partial Fisher–Yates: the first `count` entries of `perm` become a uniform random subset of
 * [0, perm.length), drawn with counters `base + t` of stream 1.
 */
function pickSubset(perm: Int32Array, count: number, seed: number, base: number): void {
  const n = perm.length;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let t = 0; t < count; t++) {
    const j = t + randomIndex(seed, 1, base + t, n - t);
    const tmp = perm[t];
    perm[t] = perm[j];
    perm[j] = tmp;
  }
}

function zeroPerRow(rows: number, cols: number, zeros: number, std: number, seed: number): Float32Array {
  const values = new Float32Array(rows * cols);
  fillNormal(values, seed, 0, 0, std);
  const perm = new Int32Array(cols);
  for (let r = 0; r < rows; r++) {
    pickSubset(perm, zeros, seed, r * cols);
    for (let t = 0; t < zeros; t++) values[r * cols + perm[t]] = 0;
  }
  return values;
}

function keepPerColumn(rows: number, cols: number, k: number, std: number, seed: number): Float32Array {
  const values = new Float32Array(rows * cols);
  const one = new Float32Array(1);
  const perm = new Int32Array(rows);
  for (let c = 0; c < cols; c++) {
    pickSubset(perm, k, seed, c * rows);
    for (let t = 0; t < k; t++) {
      const at = perm[t] * cols + c;
      fillNormal(one, seed, 0, 0, std, at);
      values[at] = one[0];
    }
  }
  return values;
}
