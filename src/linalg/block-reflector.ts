/**
 * Compact-WY block reflectors (Schreiber & Van Loan 1989; LAPACK `slarft` / `slarfb`), float32
 * storage, column-major: the plain JavaScript kernels (arithmetic in float64, results stored as
 * float32), and the step shared with the WebAssembly SIMD kernels (`formT`).
 *
 * nb reflectors H_i = I − τ_i·v_i·v_iᵀ (v_i zero above row i, 1 at row i) multiply to
 * H_0·H_1·…·H_{nb−1} = I − V·T·Vᵀ, with V = [v_0 … v_{nb−1}] (p × nb) and T upper triangular. Applying
 * the product to a p × r block C is then C − V·(T·(Vᵀ·C)): two matrix products, 4·p·r·nb flops,
 * done here a few columns of C at a time so that those columns stay in the L1 cache while V streams.
 *
 * Every array is one Float32Array `f` (a plain buffer, or a WebAssembly memory) with element
 * offsets, shared with the WebAssembly kernels (scripts/linalg-kernels/wat.ts).
 */

/**
 * G[j][i] = v_j · v_i for j < i (the strict upper triangle `formT` reads), G row-major nb × nb at
 * offset g; V is p × nb at offset v, column stride p, zero above each column's diagonal.
 */
export function gram(f: Float32Array, v: number, p: number, nb: number, g: number): void {
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    for (let j = 0; j < i; j++) {
      const vj = v + j * p;
      let s = 0;
      for (let l = i; l < p; l++) s += f[vj + l] * f[vi + l];
      f[g + j * nb + i] = s;
    }
  }
}

/**
 * Forms T (nb × nb, column-major, upper triangular) at offset t from the Gram entries G (see
 * {@link gram}) and the τ's (LAPACK `slarft`, forward, columnwise):
 * T[i][i] = τ_i, T[0:i, i] = −τ_i · T[0:i, 0:i] · G[0:i, i]. Computed in float64, stored as float32.
 */
export function formT(f: Float32Array, g: number, nb: number, taus: Float64Array, t: number): void {
  const z = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const ti = t + i * nb;
    for (let j = 0; j < i; j++) z[j] = f[g + j * nb + i];
    // Row j of T[0:i, 0:i] is zero left of the diagonal.
    const tau = taus[i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += f[t + k * nb + j] * z[k];
      f[ti + j] = -tau * s;
    }
    f[ti + i] = tau;
    for (let j = i + 1; j < nb; j++) f[ti + j] = 0;
  }
}

/** Float64 scratch for VᵀC (4·nb numbers), grown as needed. */
let scratch = new Float64Array(128);

/**
 * C ← (I − V·T·Vᵀ)·C for the p × r block C at offset `c` with leading dimension `ldc`
 * (column j of C at c + j·ldc). Any p, r, nb.
 */
export function applyBlockReflector(
  f: Float32Array,
  c: number,
  ldc: number,
  p: number,
  r: number,
  v: number,
  nb: number,
  t: number,
): void {
  if (scratch.length < 4 * nb) scratch = new Float64Array(4 * nb);
  const y = scratch;
  let j = 0;
  for (; j + 4 <= r; j += 4) applyToFour(f, c + j * ldc, ldc, p, v, nb, t, y);
  for (; j < r; j++) applyToOne(f, c + j * ldc, p, v, nb, t, y);
}

/** Four columns at once: every V element loaded feeds four multiply-adds. */
function applyToFour(
  f: Float32Array,
  c0: number,
  ldc: number,
  p: number,
  v: number,
  nb: number,
  t: number,
  y: Float64Array,
): void {
  const c1 = c0 + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  // y[i][k] = v_i · C[:, k]; v_i is zero above row i.
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let l = i; l < p; l++) {
      const x = f[vi + l];
      s0 += x * f[c0 + l];
      s1 += x * f[c1 + l];
      s2 += x * f[c2 + l];
      s3 += x * f[c3 + l];
    }
    y[4 * i] = s0;
    y[4 * i + 1] = s1;
    y[4 * i + 2] = s2;
    y[4 * i + 3] = s3;
  }
  // y ← T·y in place, top-down (row i of T is zero left of the diagonal).
  for (let i = 0; i < nb; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = i; k < nb; k++) {
      const tik = f[t + k * nb + i];
      s0 += tik * y[4 * k];
      s1 += tik * y[4 * k + 1];
      s2 += tik * y[4 * k + 2];
      s3 += tik * y[4 * k + 3];
    }
    y[4 * i] = s0;
    y[4 * i + 1] = s1;
    y[4 * i + 2] = s2;
    y[4 * i + 3] = s3;
  }
  // C −= V·y, two reflectors per sweep over the rows.
  let i = 0;
  for (; i + 2 <= nb; i += 2) {
    const va = v + i * p;
    const vb = va + p;
    const a0 = y[4 * i];
    const a1 = y[4 * i + 1];
    const a2 = y[4 * i + 2];
    const a3 = y[4 * i + 3];
    const b0 = y[4 * i + 4];
    const b1 = y[4 * i + 5];
    const b2 = y[4 * i + 6];
    const b3 = y[4 * i + 7];
    for (let l = i; l < p; l++) {
      const x = f[va + l];
      const z = f[vb + l];
      f[c0 + l] -= x * a0 + z * b0;
      f[c1 + l] -= x * a1 + z * b1;
      f[c2 + l] -= x * a2 + z * b2;
      f[c3 + l] -= x * a3 + z * b3;
    }
  }
  if (i < nb) {
    const va = v + i * p;
    const a0 = y[4 * i];
    const a1 = y[4 * i + 1];
    const a2 = y[4 * i + 2];
    const a3 = y[4 * i + 3];
    for (let l = i; l < p; l++) {
      const x = f[va + l];
      f[c0 + l] -= x * a0;
      f[c1 + l] -= x * a1;
      f[c2 + l] -= x * a2;
      f[c3 + l] -= x * a3;
    }
  }
}

/** The leftover columns, one at a time. */
function applyToOne(
  f: Float32Array,
  c0: number,
  p: number,
  v: number,
  nb: number,
  t: number,
  y: Float64Array,
): void {
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    let s = 0;
    for (let l = i; l < p; l++) s += f[vi + l] * f[c0 + l];
    y[i] = s;
  }
  for (let i = 0; i < nb; i++) {
    let s = 0;
    for (let k = i; k < nb; k++) s += f[t + k * nb + i] * y[k];
    y[i] = s;
  }
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    const a = y[i];
    for (let l = i; l < p; l++) f[c0 + l] -= f[vi + l] * a;
  }
}
