/**
 * Orthonormal factor of a thin QR decomposition by Householder reflections, in float64.
 *
 * Input: `a`, an m × n matrix (m ≥ n) stored column-major (element (i, j) at a[j·m + i]); it is
 * overwritten. Output: Q (m × n, column-major) with QᵀQ = I and diag(R) ≥ 0 — i.e. the columns are
 * sign-corrected so that, for Gaussian input, Q is Haar-distributed (Mezzadri 2007).
 *
 * Cost ≈ 4mn² − 4n³/3 flops; columns are contiguous, so every inner loop is a unit-stride sweep.
 */
export function orthonormalFactor(a: Float64Array, m: number, n: number): Float64Array {
  const tau = new Float64Array(n);
  const sign = new Float64Array(n);
  // Factor: column k gets the Householder vector v (v[k] = 1 implied, stored below the diagonal).
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    let norm2 = 0;
    for (let i = k + 1; i < m; i++) norm2 += a[ck + i] * a[ck + i];
    const alpha = a[ck + k];
    if (norm2 === 0) {
      // Already upper-triangular in this column: H = I; R[k][k] = alpha.
      tau[k] = 0;
      sign[k] = alpha < 0 ? -1 : 1;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + norm2);
    tau[k] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = k + 1; i < m; i++) a[ck + i] *= scale;
    a[ck + k] = beta; // R[k][k]
    sign[k] = beta < 0 ? -1 : 1;
    // Apply H = I − τ v vᵀ to the remaining columns.
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      let dot = a[cj + k];
      for (let i = k + 1; i < m; i++) dot += a[ck + i] * a[cj + i];
      dot *= tau[k];
      a[cj + k] -= dot;
      for (let i = k + 1; i < m; i++) a[cj + i] -= dot * a[ck + i];
    }
  }
  // Form Q = H_0 H_1 … H_{n−1} I[:, :n] by backward accumulation, then scale column k by sign(R_kk).
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    if (tau[k] === 0) continue;
    const ck = k * m;
    for (let j = k; j < n; j++) {
      const cj = j * m;
      let dot = q[cj + k];
      for (let i = k + 1; i < m; i++) dot += a[ck + i] * q[cj + i];
      dot *= tau[k];
      q[cj + k] -= dot;
      for (let i = k + 1; i < m; i++) q[cj + i] -= dot * a[ck + i];
    }
  }
  for (let j = 0; j < n; j++) {
    if (sign[j] < 0) for (let i = 0; i < m; i++) q[j * m + i] = -q[j * m + i];
  }
  return q;
}
