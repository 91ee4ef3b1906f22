import {zeros, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import type {Schema} from '../options';
import {register} from '../registry';
import {BaseInitializer} from './base';

/** {@link ZeroBias} takes no options. */
export type ZeroBiasArgs = Record<string, never>;

const SCHEMA: Schema<Record<string, never>> = {};

/**
 * Zeros, for biases: b = 0. The weights already break the symmetry between units, so biases need
 * not (seed document, point 4). The tensor is filled by the backend (`tf.zeros`), without a host
 * loop, in any dtype tfjs can zero (`float32`, `int32`, `bool`, `complex64`).
 *
 * Never use it for weights: with every weight equal, every unit computes the same output and
 * receives the same gradient, and the units never become different.
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 10, kernelInitializer: 'XavierUniformCustom', biasInitializer: new ZeroBias()});
 * tf.layers.dense({units: 10, biasInitializer: 'ZeroBias'});
 * ```
 * @see `torch.nn.init.zeros_`; Goodfellow, Bengio & Courville, *Deep Learning* (2016), §8.4.
 */
export class ZeroBias extends BaseInitializer<Record<string, never>> {
  static override className = 'ZeroBias';
  protected override readonly dtypes: readonly DataType[] = ['float32', 'int32', 'bool', 'complex64'];

  constructor(args: ZeroBiasArgs = {}) {
    super(args, SCHEMA);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    return zeros(shape, dtype);
  }
}
register(ZeroBias);

/** Factory for {@link ZeroBias}: `zeroBias()`. */
export function zeroBias(): ZeroBias {
  return new ZeroBias();
}
