import {InitializerError, describeValue, fail} from '../core/errors';
import {haarColumns} from '../linalg/haar';
import {
  axis,
  checkArgument,
  requiredSeed,
  finiteNumber,
  positive,
  positiveInteger,
  seed,
  type Schema,
} from '../core/options';
import {resolveSeed} from '../random/seed';
import {register} from './registry';
import {sizeOf} from '../core/tensor-args';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';

/** Options of {@link OrthogonalInitializer}. */
export interface OrthogonalInitializerArgs {
  /** Multiplier of the orthogonal matrix. Default 1. */
  gain?: number;
  /** Integer in [0, 2^53 − 1]. Seeded instances return the same values on every call. */
  seed?: number | null;
  /**
   * Split the last axis into this many equal blocks and orthogonalize each one separately — for
   * recurrent kernels `[units, gates·units]` (LSTM 4, GRU 3), so that every gate's `[units, units]`
   * block is orthogonal. Default 1: the whole matrix at once (Keras, PyTorch, tfjs). With
   * `columnAxis`, the blocks split that axis.
   */
  gates?: number;
  /**
   * JAX's `column_axis`: the axis whose entries are the matrix's columns; all other axes, in order,
   * make its rows. An integer, negative counting from the end. Default −1 (the last axis: the
   * output units of a tfjs kernel).
   */
  columnAxis?: number;
}

interface OrthogonalOptions {
  gain: number;
  seed: number | null;
  gates: number;
  columnAxis: number;
}

const SCHEMA: Schema<OrthogonalOptions> = {
  gain: positive(1),
  seed: seed(),
  gates: positiveInteger(1),
  columnAxis: axis(-1),
};

/**
 * Fills `out` (row-major rows × cols) with gain · W, W Haar-distributed with orthonormal columns
 * (rows > cols) or orthonormal rows (rows ≤ cols), from the normal stream (seed, 0) counted from
 * `offset` (see `haarColumns`). Square matrices are orthogonal both ways.
 *
 * @param out a Float32Array of at least rows·cols elements.
 * @param rows an integer ≥ 1.
 * @param cols an integer ≥ 1.
 * @param gain a finite number.
 * @param seedValue an integer in [0, 2^53 − 1].
 * @param offset an integer ≥ 0 with offset + rows·cols ≤ 2^32.
 * @example
 * ```ts
 * const w = new Float32Array(256 * 512);
 * fillOrthogonal(w, 256, 512, 1, 42);   // w·wᵀ = I₂₅₆ to float32 rounding
 * ```
 */
export function fillOrthogonal(
  out: Float32Array,
  rows: number,
  cols: number,
  gain: number,
  seedValue: number,
  offset = 0,
): void {
  const owner = 'fillOrthogonal';
  if (!(out instanceof Float32Array)) fail(owner, 'out', 'a Float32Array', out, 'argument');
  for (const [key, n] of [
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 1) fail(owner, key, 'an integer >= 1', n, 'argument');
  }
  if (out.length < rows * cols) {
    throw new InitializerError(
      owner,
      'out',
      `argument \`out\` must hold rows·cols = ${rows * cols} elements. Received: out.length=${out.length}`,
    );
  }
  if (typeof gain !== 'number') fail(owner, 'gain', 'a finite number', gain, 'argument');
  checkArgument(owner, 'gain', gain, finiteNumber(1));
  checkArgument(owner, 'seedValue', seedValue, requiredSeed());
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + rows * cols > 2 ** 32) {
    fail(owner, 'offset', 'an integer >= 0 with offset + rows·cols <= 2^32', offset, 'argument');
  }
  fillOrthogonalBlock(out, cols, 0, rows, cols, gain, seedValue, offset);
}

/**
 * As {@link fillOrthogonal}, into the columns [col0, col0 + cols) of a row-major matrix whose rows
 * have `stride` elements.
 */
function fillOrthogonalBlock(
  out: Float32Array,
  stride: number,
  col0: number,
  rows: number,
  cols: number,
  gain: number,
  seedValue: number,
  offset: number,
): void {
  const tall = rows > cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const {data, ld} = haarColumns(m, n, seedValue, 0, offset);
  if (!tall) {
    // Row i of the result is column i of Q (so W = Qᵀ has orthonormal rows): contiguous copies.
    for (let i = 0; i < rows; i++) {
      const src = i * ld;
      const dst = i * stride + col0;
      if (gain === 1) out.set(data.subarray(src, src + cols), dst);
      else for (let j = 0; j < cols; j++) out[dst + j] = gain * data[src + j];
    }
    return;
  }
  // W = Q: a transpose, in 32 × 32 tiles so both sides stay in cache.
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) {
        const dst = i * stride + col0;
        for (let j = j0; j < j1; j++) out[dst + j] = gain * data[j * ld + i];
      }
    }
  }
}

/**
 * Lays out a row-major rows × cols matrix (cols = shape[c], rows the other axes in order) in `out`
 * as a tensor of `shape`: element (…, j at axis c, …) = matrix[row of the other indices, j].
 */
function moveColumns(
  matrix: Float32Array,
  shape: readonly number[],
  c: number,
  out: Float32Array,
): void {
  const cols = shape[c];
  const outer = sizeOf(shape.slice(0, c));
  const inner = sizeOf(shape.slice(c + 1));
  for (let p = 0; p < outer; p++) {
    for (let j = 0; j < cols; j++) {
      const dst = (p * cols + j) * inner;
      for (let q = 0; q < inner; q++) out[dst + q] = matrix[(p * inner + q) * cols + j];
    }
  }
}

/**
 * Orthogonal initialization (Saxe et al. 2014), Keras 3's `OrthogonalInitializer`, PyTorch's
 * `orthogonal_`, JAX's `orthogonal`:
 *
 *     c = shape[columnAxis], r = ∏(other axes);  W = gain · Q,  Q Haar-distributed r × c with
 *     QᵀQ = I (r ≥ c, orthonormal columns) or QQᵀ = I (r < c, orthonormal rows)
 *
 * where row i of Q is the multi-index of the other axes in order and column j is index j along
 * `columnAxis` (default −1, so r = ∏shape[:-1] and c = shape[-1], as in Keras and tfjs; JAX's
 * `column_axis`).
 *
 * Q has the distribution of the sign-corrected Q factor of a Gaussian matrix (Mezzadri 2007): the
 * uniform (Haar) distribution. It is computed without forming that matrix, as a product of random
 * Householder reflectors (Stewart 1980) applied in compact-WY blocks by a WebAssembly SIMD kernel
 * in float32 (f32x4; plain JavaScript where WebAssembly SIMD is missing): 512² in about 7 ms,
 * 1024² in about 50 ms on a 2.6 GHz core, faster than PyTorch's LAPACK-based `orthogonal_` on
 * OpenBLAS (tfjs's `Orthogonal`: 39 s for 512²). Orthogonality error ‖WᵀW − gain²I‖∞ below
 * 1e-6·gain² up to [4096, 1024]. See docs/benchmarks.md.
 *
 * With `gates: g`, the last axis is split into g equal blocks, each orthogonalized on its own
 * (independent draws): for an LSTM recurrent kernel `[units, 4·units]`, `gates: 4` makes each gate's
 * `[units, units]` block orthogonal instead of the whole matrix having orthonormal rows.
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 256, kernelInitializer: new OrthogonalInitializer({gain: Math.SQRT2})});
 * tf.layers.lstm({units: 128, recurrentInitializer: new OrthogonalInitializer({gates: 4})});
 * tf.layers.simpleRNN({units: 64, recurrentInitializer: 'OrthogonalInitializer'});
 * new OrthogonalInitializer({columnAxis: 0}).apply([64, 3, 3, 16]); // PyTorch-like [out, ...] layout
 * ```
 * @see Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep
 * linear neural networks", ICLR 2014; Mezzadri, "How to generate random matrices from the classical
 * compact groups", Notices AMS 2007; Stewart, "The efficient generation of random orthogonal
 * matrices", SIAM J. Numer. Anal. 1980; `torch.nn.init.orthogonal_`; `keras.initializers.Orthogonal`.
 */
export class OrthogonalInitializer extends FillInitializer<OrthogonalOptions> {
  static override className = 'OrthogonalInitializer';
  static override readonly shapes: ShapeFacts = {
    ranks: [2, Infinity],
    example: [4, 6],
    stress: {
      shape: [156250, 64],
      why:
        'a square draw costs ~rows·cols² flops (seconds for 3125 × 3200); ' +
        'a tall 1e7-element kernel keeps it to a fraction of a second',
    },
  };
  protected override readonly minRank = 2;

  constructor(args: OrthogonalInitializerArgs = {}) {
    super(args, SCHEMA);
  }

  /** The column axis as an index in [0, rank); fails when the shape has no such axis. */
  private columnIndex(shape: readonly number[]): number {
    const rank = shape.length;
    const c = this.options.columnAxis;
    if (c < -rank || c >= rank) {
      fail(
        this.getClassName(),
        'columnAxis',
        `an axis of shape=${describeValue(shape)}: an integer in [${-rank}, ${rank - 1}]`,
        c,
      );
    }
    return c < 0 ? c + rank : c;
  }

  protected override checkFits(shape: number[]): void {
    const c = this.columnIndex(shape);
    const cols = shape[c];
    const gates = this.options.gates;
    if (cols % gates !== 0) {
      const which = c === shape.length - 1 ? 'the last axis' : `axis ${c} (columnAxis)`;
      throw new InitializerError(
        this.getClassName(),
        'gates',
        `${which} (${cols}) must split into \`gates\`=${gates} equal ` +
          `blocks. Received: gates=${gates}, ` +
          `shape=${describeValue(shape)}`,
      );
    }
  }

  protected fill(out: Float32Array, shape: number[]): void {
    const c = this.columnIndex(shape);
    const cols = shape[c];
    const rows = sizeOf(shape) / cols;
    const gates = this.options.gates;
    const matrix = c === shape.length - 1 ? out : new Float32Array(rows * cols);
    const seedValue = resolveSeed(this.options.seed);
    const width = cols / gates;
    for (let g = 0; g < gates; g++) {
      fillOrthogonalBlock(
        matrix,
        cols,
        g * width,
        rows,
        width,
        this.options.gain,
        seedValue,
        g * rows * width,
      );
    }
    if (matrix !== out) moveColumns(matrix, shape, c, out);
  }
}
register(OrthogonalInitializer);

/** Factory for {@link OrthogonalInitializer}. */
export function orthogonalInitializer(args?: OrthogonalInitializerArgs): OrthogonalInitializer {
  return new OrthogonalInitializer(args);
}
