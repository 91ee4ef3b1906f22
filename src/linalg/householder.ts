/**
 * Householder reflector that maps x to a non-negative multiple of e₁ (Golub & Van Loan, *Matrix
 * Computations*, 4th ed., Algorithm 5.1.1, with Parlett's cancellation-free formula for v₁ when
 * x₁ > 0), for float32 storage.
 *
 * On entry `v[at .. at+len)` holds x. On exit it holds v (rounded to float32) with v₁ = 1, and the
 * return value is τ = 2 / ‖v‖², computed in float64 from the **stored** v, so that H = I − τ·v·vᵀ is
 * orthogonal to float64 rounding whatever the float32 rounding of v did; H·x = ‖x‖·e₁ up to that
 * rounding (relative 6e-8). τ = 0 (H = I) when x is already a non-negative multiple of e₁.
 */
export function reflectToPositive(v: Float32Array, at: number, len: number): number {
  const x1 = v[at];
  let tail = 0;
  for (let i = at + 1; i < at + len; i++) tail += v[i] * v[i];
  if (tail === 0) {
    v[at] = 1;
    // x = x₁e₁: H = I when x₁ ≥ 0, else reflect e₁ onto −e₁ (v = e₁, τ = 2).
    return x1 >= 0 ? 0 : 2;
  }
  const norm = Math.sqrt(x1 * x1 + tail);
  const v1 = x1 <= 0 ? x1 - norm : -tail / (x1 + norm);
  const inv = 1 / v1;
  let stored = 1;
  for (let i = at + 1; i < at + len; i++) {
    v[i] *= inv;
    stored += v[i] * v[i];
  }
  v[at] = 1;
  return 2 / stored;
}
