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
