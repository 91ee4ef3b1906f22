import {InitializerError, fail} from '../core/errors';
import {applyBlockReflector, gram} from './block-reflector';
import {REFLECTOR_WASM_BASE64} from './generated/reflector-wasm';
import {instantiateWasm, loadWasmModule} from '../core/wasm';

/**
 * Float32 scratch memory plus the two kernels that work on it: the WebAssembly SIMD kernels (f32x4;
 * their linear memory is the scratch) where the platform runs them, else plain JavaScript over a
 * Float32Array (float64 arithmetic, float32 results). Both compute the same products; they differ
 * in rounding, so their results agree to float32 rounding, not bit for bit.
 */
export interface Workspace {
  /** The scratch, at least the size asked for. Its contents are undefined on entry. */
  readonly f32: Float32Array;
  /** Which kernels run. */
  readonly kernel: 'wasm-simd' | 'js';
  /**
   * C ← (I − V·T·Vᵀ)·C; arguments are element offsets into `f32` and element counts (see
   * `applyBlockReflector`); `w` is scratch for 4·nb elements. The WebAssembly kernel needs
   * p % 8 = 0, r % 4 = 0, nb % 4 = 0 and offsets that are multiples of 4.
   */
  applyBlockReflector(
    c: number,
    ldc: number,
    p: number,
    r: number,
    v: number,
    nb: number,
    t: number,
    w: number,
  ): void;
  /** G[j][i] = v_j · v_i for j < i (row-major nb × nb at g); same alignment needs as above. */
  gram(v: number, p: number, nb: number, g: number): void;
}

interface ReflectorExports {
  memory: WebAssembly.Memory;
  apply(
    c: number,
    ldc: number,
    p: number,
    r: number,
    v: number,
    nb: number,
    t: number,
    w: number,
  ): void;
  gram(v: number, p: number, nb: number, g: number): void;
}

const PAGE = 65536;

/**
 * Workspaces up to this many float32 elements (64 MB: a [2048, 8192] matrix) are kept for reuse;
 * larger ones are allocated per call and left to the garbage collector, so that one huge matrix
 * does not pin its memory for the life of the process (WebAssembly memory never shrinks).
 */
export const KEEP = 16 * 1024 * 1024;

let compiled: WebAssembly.Module | null = null;
let wasm: ReflectorExports | null = null;
let useWasm = true;
loadWasmModule(REFLECTOR_WASM_BASE64, (module) => {
  compiled = module;
  wasm = instantiateWasm<ReflectorExports>(module);
});
let jsBuffer = new Float32Array(0);

function tooLarge(size: number): never {
  throw new InitializerError(
    'fillOrthogonal',
    'shape',
    `the matrix needs a float32 workspace of ${size} elements ` +
      `(${Math.ceil((size * 4) / 2 ** 20)} MiB), more than this ` +
      `platform can allocate`,
  );
}

function wasmWorkspace(exports: ReflectorExports, size: number): Workspace {
  const memory = exports.memory;
  const bytes = size * 4;
  if (memory.buffer.byteLength < bytes) {
    try {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    } catch {
      return jsWorkspace(size); // past WebAssembly's 4 GiB: plain JavaScript, if that can allocate it
    }
  }
  const f32 = new Float32Array(memory.buffer, 0, size);
  const {apply, gram: gramKernel} = exports;
  return {
    f32,
    kernel: 'wasm-simd',
    applyBlockReflector: (c, ldc, p, r, v, nb, t, w) =>
      apply(4 * c, ldc, p, r, 4 * v, nb, 4 * t, 4 * w),
    gram: (v, p, nb, g) => gramKernel(4 * v, p, nb, 4 * g),
  };
}

function jsWorkspace(size: number): Workspace {
  let f32 = jsBuffer;
  if (f32.length < size) {
    try {
      f32 = new Float32Array(size);
    } catch {
      return tooLarge(size);
    }
    if (size <= KEEP) jsBuffer = f32;
  }
  return {
    f32,
    kernel: 'js',
    applyBlockReflector: (c, ldc, p, r, v, nb, t) =>
      applyBlockReflector(f32, c, ldc, p, r, v, nb, t),
    gram: (v, p, nb, g) => gram(f32, v, p, nb, g),
  };
}

/**
 * Switches the WebAssembly SIMD kernels of the orthogonal initializers on or off (on by default
 * where available) and returns whether they are now in use. The two kernels agree to float32
 * rounding; this exists to compare them and to rule the kernels out when debugging.
 *
 * @example
 * ```ts
 * useLinalgSimd(false); // plain JavaScript from now on
 * ```
 */
export function useLinalgSimd(on: boolean): boolean {
  if (typeof on !== 'boolean') fail('useLinalgSimd', 'on', 'true or false', on);
  useWasm = on;
  return useWasm && wasm !== null;
}

/**
 * A workspace of at least `size` float32 elements: reused between calls up to 64 MB, fresh (and
 * collectable afterwards) above.
 */
export function workspace(size: number): Workspace {
  if (useWasm && wasm !== null && compiled !== null)
    return wasmWorkspace(size <= KEEP ? wasm : instantiateWasm<ReflectorExports>(compiled), size);
  return jsWorkspace(size);
}
