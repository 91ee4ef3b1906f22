import {InitializerError, describeValue} from '../core/errors';
import type {Schema} from '../core/options';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';
import {centreOffset} from './centre-tap';

/** {@link ZerO} takes no options: it is deterministic. */
export type ZerOArgs = Record<string, never>;

const SCHEMA: Schema<Record<string, never>> = {};

/** Number of set bits of a non-negative 32-bit integer. */
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Writes the ZerO matrix for `inputs` → `outputs` as a tfjs kernel `[in, out]` (row-major, rows of
 * `outputs` elements) into `out` at `base` (Zhao et al., Algorithm 1, with W = kernelᵀ).
 */
function writeZerO(out: Float32Array, base: number, inputs: number, outputs: number): void {
  if (outputs <= inputs) {
    // P ≤ Q: identity (P = Q) or partial identity I* (P < Q): propagate the first P inputs.
    for (let i = 0; i < outputs; i++) out[base + i * outputs + i] = 1;
    return;
  }
  // P > Q: W = c · I*·H_m·I*, m = ⌈log₂ P⌉, c = 2^(−(m−1)/2), H_m Sylvester's Hadamard matrix with
  // entries H[i][j] = (−1)^popcount(i & j); kernel[j][i] = W[i][j].
  const m = 32 - Math.clz32(outputs - 1);
  const c = 2 ** (-(m - 1) / 2);
  for (let j = 0; j < inputs; j++) {
    const row = base + j * outputs;
    for (let i = 0; i < outputs; i++) out[row + i] = popcount(i & j) & 1 ? -c : c;
  }
}

/**
 * ZerO initialization (Zhao, Schäfer & Anandkumar 2021): deterministic, only zeros and ones up to
 * one normalization factor. For a layer with P outputs and Q inputs (W = kernelᵀ, P × Q):
 *
 *     P = Q:  W = I                                   (identity)
 *     P < Q:  W = I*                                  (partial identity: the first P inputs)
 *     P > Q:  W = c · I*·H_m·I*,  m = ⌈log₂ P⌉,  c = 2^(−(m−1)/2)
 *
 * where H_m is the 2^m × 2^m Hadamard matrix of Sylvester's construction (H₀ = 1,
 * H_m = [[H_{m−1}, H_{m−1}], [H_{m−1}, −H_{m−1}]]) and I* the partial identity of the needed size, so
 * W[i][j] = c·(−1)^popcount(i & j). Dense kernels `[in, out]` follow Algorithm 1; conv kernels
 * `[...k, in, out]` (Conv1D/2D/3D) follow Algorithm 2: the same matrix at the centre tap ⌊k/2⌋ of
 * every (odd) kernel axis, zeros elsewhere. Even kernel sizes are rejected, as the paper defines
 * none. The paper's c is used; the authors' MNIST notebook divides by 2^(m/2) instead (√2 smaller).
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 256, kernelInitializer: new ZerO()});   // 784 → 256: partial identity
 * tf.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', kernelInitializer: 'ZerO'});
 * ```
 * @see J. Zhao, F. Schäfer, A. Anandkumar, "ZerO Initialization: Initializing Neural Networks with
 * only Zeros and Ones", TMLR 2022 (arXiv:2110.12661, 2021), Algorithms 1 and 2, Definitions 1–2.
 */
export class ZerO extends FillInitializer<Record<string, never>> {
  static override className = 'ZerO';
  static override readonly shapes: ShapeFacts = {ranks: [2, 5], example: [4, 6]};
  protected override readonly minRank = 2;

  constructor(args: ZerOArgs = {}) {
    super(args, SCHEMA);
  }

  protected override checkFits(shape: number[]): void {
    const owner = this.getClassName();
    if (shape.length === 2) return;
    centreOffset(owner, shape, 'lower');
    if (shape.slice(0, -2).some((k) => k % 2 === 0)) {
      throw new InitializerError(
        owner,
        'shape',
        `ZerO on convolutions (Algorithm 2) is defined for odd ` +
          `kernel sizes only. Received: shape=${describeValue(shape)}`,
      );
    }
  }

  protected fill(values: Float32Array, shape: number[], zeroed: boolean): void {
    const inputs = shape[shape.length - 2];
    const outputs = shape[shape.length - 1];
    const base = shape.length === 2 ? 0 : centreOffset(this.getClassName(), shape, 'lower');
    if (!zeroed) values.fill(0);
    writeZerO(values, base, inputs, outputs);
  }
}
register(ZerO);

/** Factory for {@link ZerO}: `zerO()`. */
export function zerO(args?: ZerOArgs): ZerO {
  return new ZerO(args);
}
