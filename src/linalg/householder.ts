/**
 * Householder reflector that maps x to +‖x‖·e₁ (Golub & Van Loan, *Matrix Computations*, 4th ed.,
 * Algorithm 5.1.1, with Parlett's cancellation-free formula for v₁ when x₁ > 0).
 *
 * On entry `v[at .. at+len)` holds x. On exit it holds v with v₁ = 1, and the return value is τ,
 * so that H = I − τ·v·vᵀ is orthogonal and symmetric and H·x = ‖x‖·e₁ with a **non-negative**
 * first entry. τ = 0 (H = I) when x is already a non-negative multiple of e₁.
 */
export function reflectToPositive(v: Float64Array, at: number, len: number): number {
  const x1 = v[at];
  let tail = 0;
  for (let i = at + 1; i < at + len; i++) tail += v[i] * v[i];
  if (tail === 0) {
    if (x1 >= 0) {
      v[at] = 1;
      return 0;
    }
    // x = x₁e₁ with x₁ < 0: reflect e₁ onto −e₁ (v = e₁, τ = 2).
    v[at] = 1;
    return 2;
  }
  const norm = Math.sqrt(x1 * x1 + tail);
  const v1 = x1 <= 0 ? x1 - norm : -tail / (x1 + norm);
  const tau = (2 * v1 * v1) / (tail + v1 * v1);
  const inv = 1 / v1;
  for (let i = at + 1; i < at + len; i++) v[i] *= inv;
  v[at] = 1;
  return tau;
}
