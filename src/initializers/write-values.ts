import {mul, tidy, type DataType, type Tensor, type Variable} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {exclusiveHostMemory} from '../core/host-memory';
import type {Initializer} from '../core/tfjs';
import {BaseInitializer} from './base';
import {FillInitializer} from './fill-initializer';

/**
 * The one way this package overwrites a weight: the in-place functions (`uniform_`, ...),
 * `reinitialize`, `applyInitializers` and `lsuv` all write through here.
 *
 * Where tfjs keeps the variable's values on the host (the `cpu` and `wasm` backends) and nothing else
 * refers to them, the new values are written straight into that memory, as PyTorch's in-place
 * functions do: no tensor is created, and no fresh memory is touched (on these machines first
 * touching 40 MB costs ~165 ms of page faults, refilling it ~2.5 ms). Everywhere else — `webgl`,
 * `webgpu`, `tensorflow`, another dtype, data shared with a clone, a reshape or a gradient tape's
 * saved copy (tfjs's reference count is above 1) — a new tensor is built and `assign`ed, as tfjs
 * itself updates variables. Both paths give the same bits, and afterwards the variable behaves the
 * same in every later op (on wasm the backend is told to drop what it derived from the old values,
 * XNNPACK's packed weights); which one ran shows only in time and memory. See `core/host-memory.ts`
 * for what "shared" means (on `cpu`, earlier `dataSync()` arrays and contiguous slices are views).
 */

/** How a write went: into the variable's own memory, or by `assign` of a new tensor. */
export type WriteMode = 'inPlace' | 'assigned';

/**
 * Overwrites `variable`'s values: `write(memory)` in place when its memory can be written (see
 * above), else `variable.assign(make())`, disposing what `make` returned (it runs in a `tidy`).
 * `tf.memory()` is unchanged either way.
 *
 * @param write receives exactly the variable's values (float32, row-major; they hold the current
 * values) and overwrites them. It must run every check before its first store, and no tfjs op (an
 * op may move the wasm heap). `null`: always take the allocating path.
 * @param make the new value as a tensor of the variable's shape and dtype: the same values `write`
 * stores.
 * @returns which path ran.
 * @example
 * ```ts
 * writeValues(v, (m) => m.fill(0.5), () => tf.fill(v.shape, 0.5));
 * ```
 */
export function writeValues(
  variable: Variable,
  write: ((memory: Float32Array) => void) | null,
  make: () => Tensor,
): WriteMode {
  const memory = write === null ? null : exclusiveHostMemory(variable);
  if (memory !== null && write !== null) {
    try {
      write(memory.values);
    } finally {
      memory.written();
    }
    if (memory.values.length !== variable.size) {
      // A detached view: the wasm heap grew while `write` ran, so its stores went nowhere.
      throw new Error(
        `writeValues: the ${memory.backend} memory of variable '${variable.name}' moved during the write`,
      );
    }
    return 'inPlace';
  }
  const value = tidy(make);
  try {
    variable.assign(value);
  } finally {
    value.dispose();
  }
  return 'assigned';
}

/** tfjs's own constant initializers, as loaded (their `apply` unpatched). */
const TFJS_CONSTANTS = [
  initializers.zeros(),
  initializers.ones(),
  initializers.constant({value: 0}),
].map((i) => ({cls: i.constructor, apply: i.apply}));

/**
 * The value every element of tfjs's `zeros`, `ones` or `constant({value})` initializer gets in
 * float32 (`constant` computes `value · 1`), or null for any other initializer.
 */
function tfjsConstant(init: Initializer): number | null {
  const known = TFJS_CONSTANTS.find((c) => init.constructor === c.cls && init.apply === c.apply);
  if (known === undefined) return null;
  const value =
    known === TFJS_CONSTANTS[0] ? 0 : known === TFJS_CONSTANTS[1] ? 1 : configValue(init);
  return value === null ? null : Math.fround(value);
}

function configValue(init: Initializer): number | null {
  const value = (init.getConfig() as {value?: unknown}).value;
  return typeof value === 'number' ? value : null;
}

/**
 * Overwrites `variable` with what `init.apply(variable.shape, dtype)` returns — in place for this
 * package's initializers (those that fill a `Float32Array`) and tfjs's `zeros`, `ones` and
 * `constant` on a float32 variable whose memory can be written, otherwise by `assign`. Same values
 * and same seed handling either way: an unseeded initializer takes one draw of the `setSeed`
 * stream on both paths. A bad shape or dtype fails with the initializer's own error before
 * anything is written.
 *
 * @example
 * ```ts
 * writeInitializer(layer.weights[0].read() as tf.Variable, new KaimingNormal({seed: 1}));
 * ```
 */
export function writeInitializer(
  variable: Variable,
  init: Initializer,
  dtype: DataType = variable.dtype,
): WriteMode {
  const shape = variable.shape;
  // This package's checks first, outside any tidy: a refusal reads as the initializer's own.
  if (init instanceof BaseInitializer) init.validate(shape, dtype);
  let write: ((memory: Float32Array) => void) | null = null;
  if (dtype === 'float32') {
    const value = tfjsConstant(init);
    if (init instanceof FillInitializer) write = (memory) => init.applyInto(memory, shape);
    else if (value !== null) write = (memory) => memory.fill(value);
  }
  return writeValues(variable, write, () => init.apply(shape, dtype));
}

/**
 * Multiplies `variable` by `factor`, in place where it can be written (bit for bit what
 * `variable.assign(tf.mul(variable, factor))` gives: each product rounded once to float32).
 *
 * @example
 * ```ts
 * scaleValues(kernel, 1 / Math.sqrt(variance));   // LSUV's rescaling step
 * ```
 */
export function scaleValues(variable: Variable, factor: number): WriteMode {
  const f = Math.fround(factor);
  const write =
    variable.dtype === 'float32'
      ? (memory: Float32Array): void => {
          for (let i = 0; i < memory.length; i++) memory[i] *= f;
        }
      : null;
  return writeValues(variable, write, () => mul(variable, factor));
}

/**
 * A value decided for a variable but not written yet ({@link prepareInitializer}); `dispose` it when
 * it will not be written.
 */
export interface PreparedValue {
  dispose(): void;
}

class Deferred implements PreparedValue {
  constructor(readonly init: Initializer) {}
  dispose(): void {}
}

class Drawn implements PreparedValue {
  constructor(readonly value: Tensor) {}
  dispose(): void {
    this.value.dispose();
  }
}

/**
 * Decides now what `init.apply(shape, dtype)` gives, for {@link writePrepared} to write later:
 * every check runs now (a bad shape or dtype throws here), and the seed an unseeded initializer
 * takes from the `setSeed` stream is taken now, so the stream advances in the order of these calls
 * and the values are those of an immediate `apply`. This package's float32 initializers and tfjs's
 * constants draw nothing yet (they fill the variable's own memory when written;
 * `FillInitializer.fixSeed`); others (tfjs's random ones) draw their tensor now.
 *
 * @example
 * ```ts
 * const planned = weights.map((w) => prepareInitializer(init, w.shape, 'float32'));  // may throw
 * weights.forEach((w, i) => writePrepared(w, planned[i]));                            // cannot
 * ```
 */
export function prepareInitializer(
  init: Initializer,
  shape: number[],
  dtype: DataType,
): PreparedValue {
  if (init instanceof FillInitializer && dtype === 'float32') {
    init.validate(shape, dtype);
    return new Deferred(init.fixSeed());
  }
  if (dtype === 'float32' && tfjsConstant(init) !== null) return new Deferred(init);
  return new Drawn(tidy(() => init.apply(shape, dtype)));
}

/**
 * Writes a {@link prepareInitializer} value into `variable` (of the shape and dtype it was prepared
 * for), in place where it can (see {@link writeValues}), and releases it.
 */
export function writePrepared(variable: Variable, prepared: PreparedValue): WriteMode {
  if (prepared instanceof Deferred) return writeInitializer(variable, prepared.init, 'float32');
  if (!(prepared instanceof Drawn)) throw new TypeError('writePrepared: not a prepared value');
  return writeValues(variable, null, () => prepared.value);
}
