import * as tf from '@tensorflow/tfjs-core';

/** Sample mean and (population) variance, computed in float64. */
export function moments(values: ArrayLike<number>): {mean: number; variance: number; n: number} {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return {mean, variance: ss / n, n};
}

/**
 * Allowed |sample variance − σ²| for n i.i.d. draws at `z` standard errors.
 * SE(s²) = √((μ₄ − σ⁴)/n); `kurtosis` is μ₄/σ⁴ (uniform 9/5, normal 3).
 * At z = 5 a correct formula fails with probability < 1e-6 (and the seeds are fixed anyway), while
 * for n ≥ 1e5 a 5% variance error is > 10 standard errors away.
 */
export function varianceTolerance(sigma2: number, n: number, kurtosis: number, z = 5): number {
  return z * sigma2 * Math.sqrt((kurtosis - 1) / n);
}

/** φ(2), the standard normal density at 2, and P = Φ(2) − Φ(−2), the mass of N(0, 1) on [−2, 2]. */
const PHI2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const MASS2 = 0.9544997361036416;

/**
 * Kurtosis μ₄/σ⁴ of each variance-scaling distribution: uniform 9/5, normal 3, and N(0, 1)
 * truncated to [−2, 2]: E[Z⁴]/E[Z²]² with E[Z²] = 1 − 4φ(2)/P and E[Z⁴] = 3 − 28φ(2)/P.
 */
export const KURTOSIS = {
  uniform: 9 / 5,
  untruncatedNormal: 3,
  truncatedNormal: (3 - (28 * PHI2) / MASS2) / (1 - (4 * PHI2) / MASS2) ** 2,
} as const;

/** Allowed |sample mean − μ| at z standard errors: z·σ/√n. */
export function meanTolerance(sigma2: number, n: number, z = 5): number {
  return z * Math.sqrt(sigma2 / n);
}

/** Runs fn, disposes what it returns, and returns how many tensors leaked (should be 0). */
export function leakedTensors(fn: () => tf.Tensor | tf.Tensor[]): number {
  const before = tf.memory().numTensors;
  tf.dispose(fn());
  return tf.memory().numTensors - before;
}

/** Values of a tensor as a Float32Array, disposing the tensor. */
export function take(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}
