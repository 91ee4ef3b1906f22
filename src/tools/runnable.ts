import {Tensor, serialization} from '@tensorflow/tfjs-core';
import type {Initializer} from '../core/tfjs';
import {BaseInitializer} from '../initializers/base';
import {FixedOrthogonal} from '../initializers/builtins/fixed-others';
import {replaceBuiltin, restoreBuiltin} from '../initializers/registry';

/**
 * tfjs's own `Orthogonal` calls chained tensor methods (`rMat.flatten()`) that exist only when the
 * full `@tensorflow/tfjs` bundle is loaded; with tfjs-core + tfjs-layers alone it throws "rMat.flatten
 * is not a function" — and it is every LSTM/GRU's default recurrent initializer. These helpers put
 * this package's fixed `Orthogonal` (same config `{gain, seed}`: gain times a random orthogonal
 * matrix) in its place where tfjs's cannot run, so the tools work on recurrent models.
 */

/** Whether tfjs's chained tensor methods are loaded (they are with the full `@tensorflow/tfjs` bundle). */
export function chainedOpsLoaded(): boolean {
  return typeof (Tensor.prototype as unknown as {flatten?: unknown}).flatten === 'function';
}

/** `init`, or the fixed orthogonal with its config when `init` is tfjs's own `Orthogonal` and cannot run here. */
export function runnable(init: Initializer): Initializer {
  if (chainedOpsLoaded() || init instanceof BaseInitializer || init.getClassName() !== 'Orthogonal') return init;
  const config = init.getConfig() as {gain?: number; seed?: number | null};
  return new FixedOrthogonal({gain: config.gain ?? 1, seed: config.seed ?? null}) as unknown as Initializer;
}

/**
 * Runs `run` (e.g. `tf.loadLayersModel` of a topology whose LSTMs draw their recurrent kernels) with
 * the fixed orthogonal registered as `Orthogonal` when tfjs's own cannot run here and nothing
 * replaced it already; puts tfjs's class back afterwards.
 */
export async function withRunnableOrthogonal<T>(run: () => Promise<T>): Promise<T> {
  const current = serialization.SerializationMap.getMap().classNameMap.Orthogonal as [unknown, unknown] | undefined;
  const own = current !== undefined && (current[0] as {prototype?: unknown}).prototype instanceof BaseInitializer;
  if (chainedOpsLoaded() || own) return run();
  replaceBuiltin(FixedOrthogonal as never);
  try {
    return await run();
  } finally {
    restoreBuiltin('Orthogonal');
  }
}
