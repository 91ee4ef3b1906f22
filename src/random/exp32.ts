/**
 * exp(t) in float32 arithmetic, operation for operation what the SIMD wedge kernel computes
 * (every step rounded to float32 with Math.fround), so that both paths take the same ziggurat
 * wedge decisions. Cody–Waite range reduction t = n·ln2 + r with ln2 split as
 * 0.693359375 − 2.12194440e-4, then the degree-7 polynomial of Cephes' `expf` on
 * |r| ≤ ln2/2; relative error below 2e-7 for the arguments used here (t ∈ [−8, 0]).
 */
const f = Math.fround;
const LOG2E = f(1.4426950408889634);
const LN2_HI = f(0.693359375);
const LN2_LO = f(-2.1219444e-4);
/** 1.5·2^23: adding it rounds a float32 to an integer (ties to even). */
const ROUND = 12582912;
const P0 = f(1.98756915e-4);
const P1 = f(1.3981999507e-3);
const P2 = f(8.3334519073e-3);
const P3 = f(4.1665795894e-2);
const P4 = f(1.6666665459e-1);
const P5 = f(5.0000001201e-1);
/** 2^k for k = −127…0 (exact), indexed by k + 127. */
const POW2 = Float64Array.from({length: 128}, (_, i) => 2 ** (i - 127));

/** Float32 exp(t) for float32 t in [−80, 0]. */
export function exp32(t: number): number {
  const n = f(f(t * LOG2E) + ROUND) - ROUND;
  const r = f(f(t - f(n * LN2_HI)) - f(n * LN2_LO));
  let p = f(f(P0 * r) + P1);
  p = f(f(p * r) + P2);
  p = f(f(p * r) + P3);
  p = f(f(p * r) + P4);
  p = f(f(p * r) + P5);
  p = f(f(f(p * f(r * r)) + r) + 1);
  return f(p * POW2[n + 127]);
}

/** The constants, for the kernel generator. */
export const EXP32 = {LOG2E, LN2_HI, LN2_LO, ROUND, P: [P0, P1, P2, P3, P4, P5]};
