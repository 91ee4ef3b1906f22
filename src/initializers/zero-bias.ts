import {
  getBackend,
  getKernel,
  tidy,
  zeros,
  type DataType,
  type Tensor,
} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import type {Schema} from '../core/options';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';

/** {@link ZeroBias} takes no options. */
export type ZeroBiasArgs = Record<string, never>;

const SCHEMA: Schema<Record<string, never>> = {};

/**
 * Zeros, for biases: b = 0. The weights already break the symmetry between units, so biases need
 * not (seed document, point 4). The tensor is filled by the backend (`tf.zeros`), without a host
 * loop, in any dtype tfjs can zero (`float32`, `int32`, `bool`, `complex64`). `complex64` needs a
 * backend with complex numbers (cpu, webgl; not wasm): elsewhere it fails before allocating.
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
export class ZeroBias extends FillInitializer<Record<string, never>> {
  static override className = 'ZeroBias';
  static override readonly shapes: ShapeFacts = {ranks: [0, Infinity], example: [6]};
  protected override readonly dtypes: readonly DataType[] = [
    'float32',
    'int32',
    'bool',
    'complex64',
  ];

  constructor(args: ZeroBiasArgs = {}) {
    super(args, SCHEMA);
  }

  protected override checkFits(_shape: number[], dtype: DataType): void {
    if (dtype === 'complex64' && getKernel('Complex', getBackend()) === undefined) {
      throw new InitializerError(
        this.getClassName(),
        'dtype',
        `dtype 'complex64' needs complex numbers, which the ` +
          `'${getBackend()}' backend does not have. Received: ` +
          `dtype="complex64"`,
      );
    }
  }

  /** Zeros of any dtype (complex64 too, where the backend has complex numbers). */
  protected override generate(shape: number[], dtype: DataType): Tensor {
    // tidy: tfjs builds complex64 zeros from two float32 zeros tensors that it never disposes
    // (2 tensors leaked per call on the cpu backend without it).
    return tidy(() => zeros(shape, dtype));
  }

  /** The float32 zeros of `applyInto` (what an in-place write stores). */
  protected fill(out: Float32Array): void {
    out.fill(0);
  }
}
register(ZeroBias);

/** Factory for {@link ZeroBias}: `zeroBias()`. */
export function zeroBias(args?: ZeroBiasArgs): ZeroBias {
  return new ZeroBias(args);
}
