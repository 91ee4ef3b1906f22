import type {DataType} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {TfInitializer} from '../core/tfjs';
import {BaseInitializer} from '../initializers/base';

/** tfjs's own initializers that fail in `apply` for some shapes or dtypes, and what they need. */
function builtinProblem(name: string, shape: number[], dtype: string): string | null {
  if (name === 'Identity' && (shape.length !== 2 || shape[0] !== shape[1]))
    return "tfjs's Identity initializer needs a square matrix";
  if (name === 'Orthogonal' && shape.length < 2)
    return "tfjs's Orthogonal initializer needs rank >= 2";
  const random = [
    'RandomUniform',
    'RandomNormal',
    'TruncatedNormal',
    'VarianceScaling',
    'Orthogonal',
  ];
  if (random.includes(name) && dtype !== 'float32' && dtype !== 'int32')
    return `tfjs's ${name} initializer draws float32 or int32 only, not ${dtype}`;
  return null;
}

/**
 * Why `initializer.apply(shape, dtype)` would fail, or null when it would not — found without
 * allocating or drawing anything: ours by {@link BaseInitializer.validate} (its InitializerError's
 * message), tfjs's built-ins by the conditions their `apply` checks. Other initializer classes are
 * not known here and pass. The one shape check of the dry build (`validateModelJSON`) and of
 * `applyInitializers`.
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
  return builtinProblem(initializer.getClassName(), shape, dtype);
}
