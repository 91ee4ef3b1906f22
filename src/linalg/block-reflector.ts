/**
 * Compact-WY block reflectors (Schreiber & Van Loan 1989; LAPACK `dlarft` / `dlarfb`), plain
 * JavaScript, float64, column-major.
 *
 * nb reflectors H_i = I − τ_i·v_i·v_iᵀ (v_i zero above row i, 1 at row i) multiply to
 * H_0·H_1·…·H_{nb−1} = I − V·T·Vᵀ, with V = [v_0 … v_{nb−1}] (p × nb) and T upper triangular. Applying
 * the product to a p × r block C is then C − V·(T·(Vᵀ·C)): two matrix products, 4·p·r·nb flops,
 * done here a few columns of C at a time so that those columns stay in the L1 cache while V streams.
 *
 * Every array is one Float64Array `f` (a plain buffer, or a WebAssembly memory) with element
 * offsets, so that the WebAssembly kernels ({@link ./wasm-kernels}) can share the same layout.
 */

/**
 * Forms T (nb × nb, column-major, upper triangular) from V (p × nb, column-major) and the τ's:
 * T[i][i] = τ_i, T[0:i, i] = −τ_i · T[0:i, 0:i] · (V[:, 0:i]ᵀ · v_i)   (LAPACK `dlarft`, forward).
 */
export function formT(f: Float64Array, v: number, p: number, nb: number, taus: Float64Array, t: number): void {
  for (let i = 0; i < nb; i++) {
    const ti = t + i * nb;
    const vi = v + i * p;
    // z[j] = V[:, j] · v_i for j < i; v_i is zero above row i, so sum rows i.. only.
    for (let j = 0; j < i; j++) {
      const vj = v + j * p;
      let s = 0;
      for (let l = i; l < p; l++) s += f[vj + l] * f[vi + l];
      f[ti + j] = s;
    }
    // T[0:i, i] = −τ_i · T[0:i, 0:i] · z, in place (T[0:i,0:i] is upper triangular: go top-down).
    const tau = taus[i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += f[t + k * nb + j] * f[ti + k];
      f[ti + j] = -tau * s;
    }
    f[ti + i] = tau;
    for (let j = i + 1; j < nb; j++) f[ti + j] = 0;
  }
}

/**
 * C ← (I − V·T·Vᵀ)·C for the p × r block C at offset `c` with leading dimension `ldc`
 * (column j of C at c + j·ldc). `w` is scratch for 4·nb numbers.
 */
export function applyBlockReflector(
  f: Float64Array,
  c: number,
  ldc: number,
  p: number,
  r: number,
  v: number,
  nb: number,
  t: number,
  w: number,
): void {
  let j = 0;
  for (; j + 4 <= r; j += 4) applyToFour(f, c + j * ldc, ldc, p, v, nb, t, w);
  for (; j < r; j++) applyToOne(f, c + j * ldc, p, v, nb, t, w);
}

/** Four columns at once: every V element loaded feeds four multiply-adds. */
function applyToFour(f: Float64Array, c0: number, ldc: number, p: number, v: number, nb: number, t: number, w: number): void {
  const c1 = c0 + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  // w[i][k] = v_i · C[:, k]; v_i is zero above row i.
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
    const wi = w + 4 * i;
    f[wi] = s0;
    f[wi + 1] = s1;
    f[wi + 2] = s2;
    f[wi + 3] = s3;
  }
  // y = T·w in place, top-down (row i of T is zero left of the diagonal).
  for (let i = 0; i < nb; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = i; k < nb; k++) {
      const tik = f[t + k * nb + i];
      const wk = w + 4 * k;
      s0 += tik * f[wk];
      s1 += tik * f[wk + 1];
      s2 += tik * f[wk + 2];
      s3 += tik * f[wk + 3];
    }
    const wi = w + 4 * i;
    f[wi] = s0;
    f[wi + 1] = s1;
    f[wi + 2] = s2;
    f[wi + 3] = s3;
  }
  // C −= V·y, two reflectors per sweep over the rows.
  let i = 0;
  for (; i + 2 <= nb; i += 2) {
    const va = v + i * p;
    const vb = va + p;
    const wa = w + 4 * i;
    const a0 = f[wa];
    const a1 = f[wa + 1];
    const a2 = f[wa + 2];
    const a3 = f[wa + 3];
    const b0 = f[wa + 4];
    const b1 = f[wa + 5];
    const b2 = f[wa + 6];
    const b3 = f[wa + 7];
    for (let l = i; l < p; l++) {
      const x = f[va + l];
      const y = f[vb + l];
      f[c0 + l] -= x * a0 + y * b0;
      f[c1 + l] -= x * a1 + y * b1;
      f[c2 + l] -= x * a2 + y * b2;
      f[c3 + l] -= x * a3 + y * b3;
    }
  }
  if (i < nb) {
    const va = v + i * p;
    const wa = w + 4 * i;
    const a0 = f[wa];
    const a1 = f[wa + 1];
    const a2 = f[wa + 2];
    const a3 = f[wa + 3];
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
function applyToOne(f: Float64Array, c0: number, p: number, v: number, nb: number, t: number, w: number): void {
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    let s = 0;
    for (let l = i; l < p; l++) s += f[vi + l] * f[c0 + l];
    f[w + i] = s;
  }
  for (let i = 0; i < nb; i++) {
    let s = 0;
    for (let k = i; k < nb; k++) s += f[t + k * nb + i] * f[w + k];
    f[w + i] = s;
  }
  for (let i = 0; i < nb; i++) {
    const vi = v + i * p;
    const a = f[w + i];
    for (let l = i; l < p; l++) f[c0 + l] -= f[vi + l] * a;
  }
}
