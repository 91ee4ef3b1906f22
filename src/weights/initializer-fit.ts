import type {DataType} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {TfInitializer} from '../core/tfjs';
import {BaseInitializer} from '../initializers/base';
import {tfjsProblem, type TfjsFields} from '../initializers/builtins/tfjs-builtins';

/**
 * Why `initializer.apply(shape, dtype)` would fail, or null when it would not — found without
 * allocating or drawing anything: ours by {@link BaseInitializer.validate} (its InitializerError's
 * message), tfjs's built-ins by the conditions their `apply` checks, as tfjs-builtins.ts knows
 * them (a `TruncatedNormal` with a negative stddev, which never returns, included). Other
 * initializer classes are not known here and pass. The one shape check of the dry build
 * (`validateModelJSON`) and of `applyInitializers`.
 */
export function initializerProblem(
  initializer: InstanceType<typeof TfInitializer>,
  shape: number[],
  dtype: string,
): string | null {
  if (initializer instanceof BaseInitializer) {
    try {
      initializer.validate(shape, dtype as DataType);
    } catch (e) {
      if (e instanceof InitializerError) return e.message;
      throw e;
    }
    return null;
  }
  return tfjsProblem(initializer.getClassName(), initializer as TfjsFields, shape, dtype);
}
