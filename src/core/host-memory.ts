import {engine, type Tensor} from '@tensorflow/tfjs-core';

/**
 * The memory that holds a tensor's values, for writing them in place — where tfjs keeps them on the
 * host and nothing else shares them.
 *
 * tfjs has no in-place write: a `Variable` changes by `assign`, which points it at another tensor's
 * data. Its two host backends store a tensor's float32 values where JavaScript can write them:
 * - `cpu` (tfjs-backend-cpu): `backend.data`, a `DataStorage` from data id to
 *   `{values, dtype, refCount}`, `values` being the `Float32Array` that every kernel and `dataSync`
 *   read;
 * - `wasm` (tfjs-backend-wasm): `backend.dataIdMap`, a `DataStorage` from data id to
 *   `{id, memoryOffset, shape, dtype, refCount}`, the values lying at byte `memoryOffset` of the
 *   module's heap (`backend.wasm.HEAPU8.buffer`), which every kernel and `dataSync` read. Its C++
 *   side also caches work derived from a tensor's values under the tensor's `id` — XNNPACK's
 *   matmul and convolution operators hold weights and biases packed when first used — and drops
 *   it when the id is disposed (`wasm.tfjs.disposeData(id)`, which frees no memory); so after a
 *   write the id is disposed and registered again at the same memory
 *   (`wasm.tfjs.registerTensor(id, size, memoryOffset)`), as a new tensor would be.
 * Both count the tensors that share a data id in `refCount` (a clone, a reshape, `tf.variable(t)`
 * while `t` lives, the copies a gradient tape saves): writing is safe only at 1. The engine knows
 * which backend holds a data id (`engine().state.tensorInfo`) and every backend's name
 * (`engine().registry`). All of this has the same form from tfjs 4.9 to 4.22 (the supported range);
 * none of it is public API, so every step is checked and anything unexpected means "no".
 *
 * Views: on `cpu`, tfjs hands out the values array itself rather than a copy — `dataSync()`
 * returns it, `tf.tensor(array)` keeps the caller's array, and a contiguous `slice`, `split` or
 * `unstack` is a `subarray` of it with a data id of its own. Such views, taken before a write in
 * place, see the new values (as NumPy views of a PyTorch tensor do); a tensor that must keep the
 * old values takes a copy (`tf.clone` shares the data and is safe too: it raises `refCount`). A
 * values array that is itself a view of a larger buffer (a variable made from such a slice) is
 * never written. `wasm` copies in all these cases.
 */

/** A tfjs data store (`DataStorage`): `get` of an absent id would move data between backends. */
interface Storage<T> {
  has(dataId: object): boolean;
  get(dataId: object): T | undefined;
}

interface CpuEntry {
  values?: unknown;
  dtype?: unknown;
  refCount?: unknown;
  complexTensorInfos?: unknown;
}

interface WasmEntry {
  id?: unknown;
  memoryOffset?: unknown;
  dtype?: unknown;
  refCount?: unknown;
  stringBytes?: unknown;
}

interface Backend {
  data?: Storage<CpuEntry>;
  dataIdMap?: Storage<WasmEntry>;
  wasm?: {
    HEAPU8?: unknown;
    tfjs?: {disposeData?: unknown; registerTensor?: unknown};
  } | null;
  refCount?: (dataId: object) => number;
}

interface EngineInternals {
  state?: {tensorInfo?: {get(dataId: object): {backend?: unknown} | undefined}};
  registry?: Record<string, unknown>;
}

/** The backends whose memory this module writes. */
export type HostBackend = 'cpu' | 'wasm';

/** A tensor's values as a writable array over the backend's own memory, and that backend's name. */
export interface HostMemory {
  backend: HostBackend;
  /** Exactly the tensor's values, in tfjs's row-major order; writes change the tensor. */
  values: Float32Array;
  /**
   * Call once the values are written, before any tfjs op: makes the backend forget what it derived
   * from the old values (wasm: the operators packed from them).
   */
  written(): void;
}

const nothingToForget = (): void => undefined;

function storageEntry<T>(storage: unknown, dataId: object): T | null {
  const s = storage as Partial<Storage<T>> | null | undefined;
  if (typeof s?.has !== 'function' || typeof s.get !== 'function') return null;
  if (!s.has(dataId)) return null;
  const entry = s.get(dataId);
  return typeof entry === 'object' && entry !== null ? entry : null;
}

function cpuValues(backend: Backend, dataId: object, size: number): Float32Array | null {
  const entry = storageEntry<CpuEntry>(backend.data, dataId);
  if (entry === null || entry.dtype !== 'float32' || entry.refCount !== 1) return null;
  if (entry.complexTensorInfos != null) return null;
  const values = entry.values;
  if (!(values instanceof Float32Array) || values.length !== size) return null;
  // A view into a larger buffer shares memory with whatever owns the rest of it.
  if (values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength) return null;
  return values;
}

function wasmMemory(backend: Backend, dataId: object, size: number): HostMemory | null {
  const entry = storageEntry<WasmEntry>(backend.dataIdMap, dataId);
  if (entry === null || entry.dtype !== 'float32' || entry.refCount !== 1) return null;
  if (entry.stringBytes != null) return null;
  const {id, memoryOffset: offset} = entry;
  const heap = backend.wasm?.HEAPU8;
  const {disposeData, registerTensor} = backend.wasm?.tfjs ?? {};
  if (typeof disposeData !== 'function' || typeof registerTensor !== 'function') return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset <= 0) return null;
  if (offset % 4 !== 0 || !(heap instanceof Uint8Array)) return null;
  if (offset + 4 * size > heap.buffer.byteLength) return null;
  return {
    backend: 'wasm',
    values: new Float32Array(heap.buffer, offset, size),
    written: () => {
      disposeData(id);
      registerTensor(id, size, offset);
    },
  };
}

/**
 * The memory of `tensor`'s values when it can be written in place: a float32 tensor, not disposed,
 * of at least one element, whose data lives on the `cpu` or `wasm` backend and is referenced by
 * this tensor alone. `null` otherwise — other backends (`webgl`, `webgpu`, `tensorflow`: device
 * memory or a native handle), other dtypes, shared data, or tfjs internals not as expected. Call it
 * right before writing and write synchronously, without running tfjs ops in between (an op can
 * grow the wasm heap, which moves it, or share the data).
 *
 * @example
 * ```ts
 * const memory = exclusiveHostMemory(variable);
 * if (memory !== null) {
 *   memory.values.fill(0);       // variable now holds zeros
 *   memory.written();
 * } else variable.assign(tf.zerosLike(variable));
 * ```
 */
export function exclusiveHostMemory(tensor: Tensor): HostMemory | null {
  try {
    return find(tensor);
  } catch {
    return null; // a getter of some tfjs version threw: not a layout we know
  }
}

function find(tensor: Tensor): HostMemory | null {
  if (tensor.isDisposed || tensor.dtype !== 'float32') return null;
  const size = tensor.size;
  if (!Number.isSafeInteger(size) || size < 1) return null;
  const dataId = tensor.dataId as unknown;
  if (typeof dataId !== 'object' || dataId === null) return null;
  const internals = engine() as unknown as EngineInternals;
  const holder = internals.state?.tensorInfo?.get(dataId)?.backend;
  if (typeof holder !== 'object' || holder === null) return null;
  const registry = internals.registry ?? {};
  const name = Object.keys(registry).find((key) => registry[key] === holder);
  const backend = holder as Backend;
  if (typeof backend.refCount !== 'function' || backend.refCount(dataId) !== 1) return null;
  if (name === 'cpu') {
    const values = cpuValues(backend, dataId, size);
    return values === null ? null : {backend: name, values, written: nothingToForget};
  }
  return name === 'wasm' ? wasmMemory(backend, dataId, size) : null;
}
