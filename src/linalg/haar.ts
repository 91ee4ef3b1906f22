import {fillNormal} from '../random/samplers';
import {reflectToPositive} from './householder';
import {formT} from './block-reflector';
import {workspace} from './workspace';

/** Reflectors per block: T and a block of V stay in the L1/L2 caches, and level-3 reuse is high. */
const BLOCK = 32;

const up = (x: number, k: number): number => Math.ceil(x / k) * k;

/**
 * A Haar-distributed m × n matrix with orthonormal columns (m ≥ n), as float32 column-major
 * (element (i, j) at [j·ld + i]).
 *
 * Method (Stewart 1980): the Q factor of A = QR, A an m × n standard Gaussian matrix and R with a
 * positive diagonal, is Q = H_0·H_1·…·H_{n−1}·[I_n; 0], where H_k is the Householder reflector that
 * maps a fresh standard Gaussian vector x_k ∈ ℝ^{m−k} onto +‖x_k‖·e₁. (After H_0 maps the first
 * column onto ‖a_0‖e₁, the trailing (m−1) × (n−1) block of H_0·A is again i.i.d. Gaussian and
 * independent of H_0, by the rotation invariance of the Gaussian; induct.) So the distribution is
 * exactly that of the sign-corrected QR of a Gaussian matrix (Mezzadri 2007) — Haar — without
 * forming A or R: half the Gaussian draws and half the flops (2mn² − 2n³/3) of a QR.
 *
 * Q is accumulated backwards in blocks of {@link BLOCK} reflectors, each applied as one compact-WY
 * block reflector I − V·T·Vᵀ: level-3 work that the kernels run at matrix-multiply speed. Storage
 * is float32 (the result is float32 anyway): the SIMD kernels then take four rows per f32x4. Each
 * reflector's τ is computed in float64 from its stored float32 vector, so every H_k is orthogonal
 * to float64 rounding; what float32 arithmetic adds is rounding in the products, which leaves
 * ‖QᵀQ − I‖∞ around 1e-6 at n = 1024 (measured in docs/benchmarks.md; the goal is 1e-5).
 *
 * x_k is element k·m + k + l (l = 0 … m−k−1) of the normal stream (seed, stream), counted from
 * `offset`: the lower trapezoid of an m × n column-major Gaussian matrix. The draws land directly in
 * the block of V.
 *
 * @see G. W. Stewart, "The efficient generation of random orthogonal matrices with an application to
 * condition estimators", SIAM J. Numer. Anal. 17(3), 1980; F. Mezzadri, "How to generate random
 * matrices from the classical compact groups", Notices AMS 54(5), 2007.
 */
export function haarColumns(
  m: number,
  n: number,
  seed: number,
  stream: number,
  offset: number,
): ColumnMajor {
  // Padding for the SIMD kernels (zero rows and columns stay zero): rows to a multiple of 8,
  // columns and the block width to multiples of 4.
  const nb = Math.min(BLOCK, up(n, 4));
  const ld = up(m, 8);
  const nc = up(n, 4);
  const q = 0;
  const v = ld * nc;
  const w = v + ld * nb;
  const t = w + 4 * nb;
  const g = t + nb * nb;
  const ws = workspace(g + nb * nb);
  const f = ws.f32;
  f.fill(0, q, q + ld * nc);
  for (let j = 0; j < n; j++) f[q + j * ld + j] = 1;
  const taus = new Float64Array(nb);
  for (let k0 = Math.floor((n - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, n - k0);
    const kb4 = up(kb, 4);
    const p = ld - k0;
    // Column i of V: zeros above row i, then the reflector of x_{k0+i}, then the zero padding.
    for (let i = 0; i < kb; i++) {
      const k = k0 + i;
      const col = v + i * p;
      const len = m - k;
      f.fill(0, col, col + i);
      fillNormal(f.subarray(col + i, col + i + len), seed, stream, 0, 1, offset + k * m + k);
      f.fill(0, col + i + len, col + p);
      taus[i] = reflectToPositive(f, col + i, len);
    }
    // Padding reflectors (H = I) up to a multiple of 4.
    f.fill(0, v + kb * p, v + kb4 * p);
    taus.fill(0, kb, kb4);
    ws.gram(v, p, kb4, g);
    formT(f, g, kb4, taus, t);
    ws.applyBlockReflector(q + k0 * ld + k0, ld, p, nc - k0, v, kb4, t, w);
  }
  return {data: f, ld};
}

/**
 * A column-major float32 matrix inside a shared workspace: element (i, j) at data[j·ld + i].
 * Valid until the next call into this module; copy out what you need.
 */
export interface ColumnMajor {
  data: Float32Array;
  ld: number;
}
