import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {fail} from '../core/errors';
import {sizeOf} from '../core/tensor-args';
import {resolveSeed} from '../random/seed';
import {BaseInitializer} from './base';

/**
 * Base of the initializers that compute their values into a `Float32Array` — every random and
 * structured scheme of this package. A subclass implements one method, `fill`; `apply` fills a new
 * array and wraps it in a tensor, and {@link FillInitializer.applyInto} fills an array the caller
 * already has, such as a variable's own memory (the in-place functions, `reinitialize`,
 * `applyInitializers` and `lsuv` write there on the cpu and wasm backends). Both give the same bits
 * and take the same seed from the `setSeed` stream (one per call for a scheme that draws, none
 * otherwise), so which one ran never shows in the values.
 */
export abstract class FillInitializer<O extends object> extends BaseInitializer<O> {
  /**
   * Writes exactly the values that `apply(shape)` (float32) would return into `out`, without
   * creating a tensor: same checks (nothing is written when they fail), same seed handling, same
   * bits. `out` must be a `Float32Array` of the shape's size; its old contents do not matter.
   *
   * @example
   * ```ts
   * const w = new Float32Array(64 * 32);
   * new KaimingNormal({seed: 1}).applyInto(w, [64, 32]);
   * // w equals new KaimingNormal({seed: 1}).apply([64, 32]).dataSync()
   * ```
   */
  applyInto(out: Float32Array, shape: readonly (number | null)[]): void {
    const {shape: dims} = this.validate(shape, 'float32');
    const size = sizeOf(dims);
    if (!(out instanceof Float32Array) || out.length !== size) {
      fail(
        this.getClassName(),
        'out',
        `a Float32Array of the shape's ${size} elements`,
        out,
        'argument',
      );
    }
    this.fill(out, dims, false);
  }

  /**
   * An initializer that draws, whenever it is applied, what this one would draw if applied now:
   * itself when it is seeded or draws nothing; for an unseeded one, a copy seeded with the next seed
   * of the `setSeed` stream, which is taken now (as `apply` would take it). For drawing later what
   * is decided now — `applyInitializers` checks every weight before it writes any.
   *
   * @example
   * ```ts
   * setSeed(1);
   * const later = new Normal().fixSeed();   // takes draw 0 of the stream
   * const a = new Normal().apply([3]);       // draw 1
   * later.apply([3]);                        // what draw 0 gives: as if applied first
   * ```
   */
  fixSeed(): this {
    const seed = (this.options as {seed?: unknown}).seed;
    if (seed !== null) return this;
    const cls = this.constructor as new (args: object) => this;
    return new cls({...this.getConfig(), seed: resolveSeed(null)});
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const values = new Float32Array(sizeOf(shape));
    this.fill(values, shape, true);
    return tensor(values, shape, dtype);
  }

  /**
   * Writes the values for `shape` (already validated) into `out`, which has exactly that many
   * elements. `zeroed`: `out` is known to hold zeros (a new array), so a scheme that sets only some
   * entries need not clear the rest — and leaves the untouched pages of a new array unmapped.
   */
  protected abstract fill(out: Float32Array, shape: number[], zeroed: boolean): void;
}
