import {InitializerError, describeValue, fail} from '../core/errors';
import {oneOf} from '../core/options';
import type {ShapeFacts} from './base';

/**
 * Which of the two middle taps of an even-sized kernel axis is "the centre":
 * `'lower'` = ⌊(k − 1)/2⌋ (JAX, TensorFlow; with `padding: 'same'` in tfjs and Keras this tap makes
 * the convolution an exact identity), `'upper'` = ⌊k/2⌋ (PyTorch's `dirac_`). For odd k both are
 * (k − 1)/2.
 */
export type CentreTap = 'lower' | 'upper';

/** What the conv-kernel schemes with a centre tap (Dirac, DeltaOrthogonal) fill: [...k, in, out], rank 3–5. */
export const CONV_KERNEL_SHAPES: ShapeFacts = {
  ranks: [3, 5],
  example: [3, 3, 4, 6],
  stress: {
    shape: [5, 5, 400, 1000],
    why: 'a conv kernel [kh, kw, in, out] with in ≤ out; the 400 × 1000 centre fits every conv scheme',
  },
};

/** The option check for a {@link CentreTap}, default `'lower'`. */
export const centreTapOption = oneOf<CentreTap>(['lower', 'upper'], 'lower');

/**
 * Index of the centre tap of an axis of length k: ⌊(k − 1)/2⌋ for `'lower'`, ⌊k/2⌋ for `'upper'`.
 *
 * @param k an integer ≥ 1; @param tap `'lower'` or `'upper'`.
 * @example
 * ```ts
 * centreIndex(4, 'lower');   // 1 (JAX, TensorFlow)
 * centreIndex(4, 'upper');   // 2 (PyTorch's dirac_)
 * ```
 * @see `torch.nn.init.dirac_`; `jax.nn.initializers.delta_orthogonal`.
 */
export function centreIndex(k: number, tap: CentreTap): number {
  if (!Number.isSafeInteger(k) || k < 1) fail('centreIndex', 'k', 'an integer >= 1', k);
  if (tap !== 'lower' && tap !== 'upper')
    fail('centreIndex', 'tap', "one of 'lower', 'upper'", tap);
  return tap === 'lower' ? (k - 1) >> 1 : k >> 1;
}

/**
 * Fails unless `shape` is a conv kernel `[...k, in, out]` of rank 3, 4 or 5 (Conv1D, 2D, 3D).
 * Returns the flat offset of element (centre…, 0, 0) in the row-major kernel: the `[in, out]`
 * matrix at the centre tap starts there and is contiguous.
 */
export function centreOffset(owner: string, shape: readonly number[], tap: CentreTap): number {
  if (shape.length < 3 || shape.length > 5) {
    throw new InitializerError(
      owner,
      'shape',
      `needs a convolution kernel [...kernelSize, inChannels, ` +
        `outChannels] of rank 3, 4 or 5 (Conv1D/2D/3D). Received: ` +
        `shape=${describeValue(shape)} (rank ${shape.length})`,
    );
  }
  const rank = shape.length;
  let offset = 0;
  let stride = shape[rank - 2] * shape[rank - 1];
  for (let d = rank - 3; d >= 0; d--) {
    offset += centreIndex(shape[d], tap) * stride;
    stride *= shape[d];
  }
  return offset;
}
