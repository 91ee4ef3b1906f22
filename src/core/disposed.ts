import {fail} from './errors';

/**
 * Whether a weight — a `tf.Variable` (`isDisposed`) or a tfjs-layers `LayerVariable` (whose
 * `read()` throws once disposed) — has been disposed. tfjs itself lets `assign` on a disposed
 * `tf.Variable` pass silently and fails on a disposed layer weight with a bare "already disposed".
 */
export function isDisposedWeight(weight: unknown): boolean {
  if (typeof weight !== 'object' || weight === null) return false;
  const w = weight as {isDisposed?: unknown; read?: unknown};
  if (typeof w.isDisposed === 'boolean') return w.isDisposed;
  if (typeof w.read !== 'function') return false;
  try {
    const value = (w.read as () => {isDisposed?: unknown}).call(weight);
    return value?.isDisposed === true;
  } catch {
    return true;
  }
}

/**
 * Fails with the standard wording when `model` (a tfjs LayersModel, already checked to be one) or
 * any of its layers has been disposed: every model tool refuses it before touching a weight.
 */
export function checkLiveModel(owner: string, model: {weights: readonly unknown[]}): void {
  let weights: readonly unknown[];
  try {
    weights = model.weights;
  } catch {
    weights = [];
  }
  if (weights.some(isDisposedWeight))
    fail(owner, 'model', 'a tf.LayersModel that is not disposed (one of its weights is)', model);
}
