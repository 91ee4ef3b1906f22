import type {Variable} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';

/**
 * Disposes a model the package built, and every variable of its layers, nested models' included.
 *
 * `LayersModel.dispose()` alone leaves the weights of a Sequential nested in a Sequential alive
 * (tfjs-layers 4.x counts the nested model as used twice, so one dispose leaves its count at 1):
 * each `doctor` of a Teachable Machine export kept its 10 MB head, twice. Here the variables are
 * collected before the model is disposed, and those it left are disposed after.
 *
 * Only for models the package itself loaded or built: a user's model may share layers with
 * another live model.
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(handler);
 * try { analyse(model); } finally { disposeModel(model); }
 * ```
 */
export function disposeModel(model: LayersModel): void {
  let variables: Variable[] = [];
  try {
    variables = model.weights.map((w) => w.read() as Variable);
  } catch {
    // A Sequential model without an input shape has no weights until it is called.
  }
  model.dispose();
  for (const v of variables) if (!v.isDisposed) v.dispose();
}
