import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {chainedOpsLoaded} from '../../core/tfjs';
import {sizeOf} from '../../core/tensor-args';
import {MAX_MAGNITUDE} from '../../core/options';
import {isSeeded, resolveSeed} from '../../random/seed';
import {fillOrthogonal} from '../orthogonal';
import {ownSeedFixesDraw, tfjsProblem, type TfjsFields} from './tfjs-builtins';

/**
 * tfjs's own `Orthogonal` — every LSTM/GRU's default recurrent initializer — through one
 * mechanism: importing the package replaces `Orthogonal.prototype.apply` once, with the function
 * below, and nothing else touches it (the seeding of tfjs's other classes leaves it alone). What
 * `'orthogonal'` draws then depends only on the process-wide seed stream:
 *
 * - tfjs's own `apply` runs when it can (the full `@tensorflow/tfjs` bundle is loaded: it calls
 *   chained tensor methods such as `rMat.flatten()` that tfjs-core + tfjs-layers alone lack) and
 *   would draw what was asked: the instance's own seed fixes its draw (0 is none, as in tfjs), or
 *   no `setSeed` stream is active (a fresh draw from `Math.random`, as tfjs does);
 * - otherwise it draws `gain · Q` with this package's Haar sampler (`fillOrthogonal`, the same
 *   matrix family: rows or columns orthonormal) from the instance's own seed, else from the next
 *   seed of the stream (so `setSeed` makes LSTM/GRU defaults reproducible, and a recurrent layer
 *   builds with tfjs-core + tfjs-layers alone). int32 values are rounded, as tfjs rounds them.
 *
 * Shapes, dtypes and gains tfjs refuses, or that the sampler cannot draw, go to tfjs's `apply`,
 * which reports them as before. `useFixedBuiltins()` registers `FixedOrthogonal` under the name
 * instead, like every fixed built-in; this patch then only serves `tf.initializers.orthogonal()`.
 */

type Apply = (this: TfjsFields, shape: readonly number[], dtype?: DataType) => Tensor;

const proto = Object.getPrototypeOf(initializers.orthogonal({})) as {apply: Apply};
const tfjsApply = proto.apply;

/** `shape` as integers ≥ 1 of rank ≥ 2 with a gain within 1e36, or null (then tfjs's apply answers). */
function drawable(self: TfjsFields, shape: unknown, dtype: DataType | undefined): number[] | null {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) return null;
  const gain = self.gain ?? 1;
  if (typeof gain !== 'number' || !Number.isFinite(gain) || Math.abs(gain) > MAX_MAGNITUDE)
    return null;
  return tfjsProblem('Orthogonal', self, shape, dtype ?? 'float32') === null ? shape : null;
}

proto.apply = function apply(this: TfjsFields, shape: readonly number[], dtype?: DataType): Tensor {
  const dims = drawable(this, shape, dtype);
  const ownSeed = ownSeedFixesDraw('Orthogonal', this);
  if (dims === null || (chainedOpsLoaded() && (ownSeed || !isSeeded())))
    return tfjsApply.call(this, shape, dtype);
  const cols = dims[dims.length - 1];
  const values = new Float32Array(sizeOf(dims));
  const seed = ownSeed ? (this.seed as number) : resolveSeed(null);
  fillOrthogonal(values, values.length / cols, cols, this.gain ?? 1, seed);
  if (dtype === 'int32') return tensor(Int32Array.from(values, Math.round), [...dims], 'int32');
  return tensor(values, [...dims], 'float32');
};
