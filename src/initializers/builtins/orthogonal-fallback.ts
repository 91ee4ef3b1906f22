import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {chainedOpsLoaded} from '../../core/tfjs';
import {resolveSeed} from '../../random/seed';
import {fillOrthogonal} from '../orthogonal';

/**
 * tfjs's own `Orthogonal` — every LSTM/GRU's default recurrent initializer — calls chained tensor
 * methods (`rMat.flatten()`) that exist only when the full `@tensorflow/tfjs` bundle is loaded: with
 * tfjs-core + tfjs-layers alone it throws "rMat.flatten is not a function" and no recurrent layer
 * builds. Importing this package mends that at the source, for every caller (a layer built in
 * your code, a topology-only load, `reinitialize`, the CLI): when, and only when, tfjs's `apply`
 * could not run, `Orthogonal.prototype.apply` draws `gain · Q` with this package's Haar sampler
 * (`fillOrthogonal`, the same matrix family: rows or columns orthonormal) — seeded by the
 * instance's own `seed` when it has one (0 and null mean unseeded, as in tfjs), else by the next
 * seed of the `setSeed` stream. With the full bundle loaded, tfjs's own `apply` runs, unchanged.
 */

interface OrthogonalFields {
  gain?: number;
  seed?: number | null;
}

type Apply = (this: OrthogonalFields, shape: readonly number[], dtype?: DataType) => Tensor;

const proto = Object.getPrototypeOf(initializers.orthogonal({})) as {apply: Apply};
const tfjsApply = proto.apply;

proto.apply = function apply(
  this: OrthogonalFields,
  shape: readonly number[],
  dtype?: DataType,
): Tensor {
  const drawable =
    Array.isArray(shape) &&
    shape.length >= 2 &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 1);
  if (chainedOpsLoaded() || !drawable || (dtype !== undefined && dtype !== 'float32'))
    return tfjsApply.call(this, shape, dtype);
  const size = shape.reduce((p, d) => p * d, 1);
  const cols = shape[shape.length - 1];
  const values = new Float32Array(size);
  fillOrthogonal(
    values,
    size / cols,
    cols,
    this.gain ?? 1,
    this.seed ? this.seed : resolveSeed(null),
  );
  return tensor(values, [...shape], 'float32');
};
