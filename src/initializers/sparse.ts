import {InitializerError, describeValue, fail} from '../core/errors';
import {
  nonNegative,
  optionalPositiveInteger,
  probability,
  seed,
  type Schema,
} from '../core/options';
import {fillNormal} from '../random/samplers';
import {pickSubsets} from '../random/subsets';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {sizeOf} from '../core/tensor-args';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';

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
      `give either \`sparsity\` (PyTorch) or \`nonzeroPerUnit\` ` +
        `(Martens), not both. Received: sparsity=${o.sparsity}, ` +
        `nonzeroPerUnit=${o.nonzeroPerUnit}`,
    );
  }
  return o.nonzeroPerUnit === null && o.sparsity === null ? {...o, sparsity: DEFAULT_SPARSITY} : o;
}

/**
 * Number of zeros per row, exactly as PyTorch's `sparse_` computes it: ⌈sparsity · cols⌉ on the
 * float64 product (`math.ceil(sparsity * rows)` there). The product carries float64 rounding, so a
 * product that should be an integer can land just above it: 0.55 · 100 = 55.00000000000001 gives
 * 56 zeros, in PyTorch and here alike (0.1 · 30 is exactly 3.0 and gives 3).
 *
 * @param sparsity a number in [0, 1]; @param cols an integer ≥ 1.
 * @example
 * ```ts
 * zerosPerRow(0.1, 30);    // 3
 * zerosPerRow(0.55, 100);  // 56, as torch.nn.init.sparse_
 * ```
 * @see `torch.nn.init.sparse_` (`num_zeros = int(math.ceil(sparsity * rows))`).
 */
export function zerosPerRow(sparsity: number, cols: number): number {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1))
    fail('zerosPerRow', 'sparsity', 'a number in [0, 1]', sparsity);
  if (!Number.isSafeInteger(cols) || cols < 1) fail('zerosPerRow', 'cols', 'an integer >= 1', cols);
  return Math.ceil(sparsity * cols);
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
export class SparseInit extends FillInitializer<SparseOptions> {
  static override className = 'SparseInit';
  static override readonly shapes: ShapeFacts = {ranks: [2, Infinity], example: [4, 6]};
  protected override readonly minRank = 2;

  constructor(args: SparseInitArgs = {}) {
    super(args, SCHEMA, refine);
  }

  protected fill(out: Float32Array, shape: number[]): void {
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const {std, nonzeroPerUnit, sparsity} = this.options;
    const seed = resolveSeed(this.options.seed);
    if (nonzeroPerUnit === null)
      zeroPerRow(out, rows, cols, zerosPerRow(sparsity ?? DEFAULT_SPARSITY, cols), std, seed);
    else keepPerColumn(out, rows, cols, nonzeroPerUnit, std, seed);
  }

  protected override checkFits(shape: number[]): void {
    const k = this.options.nonzeroPerUnit;
    const rows = sizeOf(shape) / shape[shape.length - 1];
    if (k !== null && k > rows) {
      throw new InitializerError(
        this.getClassName(),
        'nonzeroPerUnit',
        `nonzeroPerUnit=${k} exceeds the ${rows} inputs of each unit ` +
          `for shape=${describeValue(shape)}; it must be <= ${rows}`,
      );
    }
  }
}
register(SparseInit);

/** Factory for {@link SparseInit}: `sparseInit({sparsity: 0.9})`. */
export function sparseInit(args?: SparseInitArgs): SparseInit {
  return new SparseInit(args);
}

/** Picks per `pickSubsets` call: bounds the scratch, whatever the tensor's size. */
const PICKS_PER_BATCH = 65536;

/**
 * For each of `groups` groups of `n` entries, a uniform random k-subset (stream 1, see
 * `pickSubsets`), handed to `use(group, picks, at)` as picks[at … at + k).
 */
function eachSubset(
  groups: number,
  n: number,
  k: number,
  seed: number,
  use: (group: number, picks: Int32Array, at: number) => void,
): void {
  if (k === 0) return;
  const batch = Math.max(1, Math.floor(PICKS_PER_BATCH / k));
  const picks = new Int32Array(Math.min(groups, batch) * k);
  for (let g0 = 0; g0 < groups; g0 += batch) {
    const g1 = Math.min(groups, g0 + batch);
    pickSubsets(picks, g0, g1, n, k, seed, 1);
    for (let g = g0; g < g1; g++) use(g, picks, (g - g0) * k);
  }
}

/**
 * N(0, std²) everywhere (stream 0), then `zeros` random entries of each row set to 0. The random
 * subset drawn (stream 1) is the smaller side: the zeros when zeros ≤ cols / 2, else the
 * cols − zeros entries that keep their value — the same distribution of zero positions, with at
 * most cols / 2 picks per row (sparsity 0.9 draws 10% of the positions, not 90%).
 */
function zeroPerRow(
  values: Float32Array,
  rows: number,
  cols: number,
  zeros: number,
  std: number,
  seed: number,
): void {
  fillNormal(values, seed, 0, 0, std);
  const kept = cols - zeros;
  if (zeros <= kept) {
    eachSubset(rows, cols, zeros, seed, (r, picks, at) => {
      const row = r * cols;
      for (let t = 0; t < zeros; t++) values[row + picks[at + t]] = 0;
    });
    return;
  }
  const saved = new Float32Array(kept);
  eachSubset(rows, cols, kept, seed, (r, picks, at) => {
    const row = r * cols;
    for (let t = 0; t < kept; t++) saved[t] = values[row + picks[at + t]];
    values.fill(0, row, row + cols);
    for (let t = 0; t < kept; t++) values[row + picks[at + t]] = saved[t];
  });
  if (kept === 0) values.fill(0);
}

/**
 * 0 everywhere except k random entries of each column, which keep element (row·cols + col) of the
 * N(0, std²) stream 0 — the value that entry has in the full fill.
 */
function keepPerColumn(
  values: Float32Array,
  rows: number,
  cols: number,
  k: number,
  std: number,
  seed: number,
): void {
  fillNormal(values, seed, 0, 0, std);
  const keep = new Uint8Array(rows * cols);
  eachSubset(cols, rows, k, seed, (c, picks, at) => {
    for (let t = 0; t < k; t++) keep[picks[at + t] * cols + c] = 1;
  });
  for (let i = 0; i < values.length; i++) if (keep[i] === 0) values[i] = 0;
}
