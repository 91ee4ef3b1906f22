import {InitializerError, fail} from '../core/errors';
import {applyBlockReflector} from './block-reflector';
import {REFLECTOR_WASM_BASE64} from './generated/reflector-wasm';
import {instantiateWasm, loadWasmModule} from '../core/wasm';

/**
 * Float64 scratch memory plus the block-reflector kernel that works on it: the WebAssembly SIMD
 * kernel (its linear memory is the scratch) where the platform runs it, else plain JavaScript over
 * a Float64Array. Both compute C ← (I − V·T·Vᵀ)·C in float64; they differ only in the order of
 * additions, so results agree to rounding.
 */
export interface Workspace {
  /** The scratch, at least the size asked for. Its contents are undefined on entry. */
  readonly f64: Float64Array;
  /** Which kernel runs. */
  readonly kernel: 'wasm-simd' | 'js';
  /**
   * C ← (I − V·T·Vᵀ)·C; arguments are element offsets into `f64` and element counts (see
   * `applyBlockReflector`). The WebAssembly kernel needs p % 4 = 0 and even offsets for c and v.
   */
  applyBlockReflector(c: number, ldc: number, p: number, r: number, v: number, nb: number, t: number, w: number): void;
}

interface ReflectorExports {
  memory: WebAssembly.Memory;
  apply(c: number, ldc: number, p: number, r: number, v: number, nb: number, t: number, w: number): void;
}

const PAGE = 65536;

/**
 * Workspaces up to this many float64 elements (64 MB: a [1024, 8192] matrix) are kept for reuse;
 * larger ones are allocated per call and left to the garbage collector, so that one huge matrix
 * does not pin its memory for the life of the process (WebAssembly memory never shrinks).
 */
export const KEEP = 8 * 1024 * 1024;

let compiled: WebAssembly.Module | null = null;
let wasm: ReflectorExports | null = null;
let useWasm = true;
loadWasmModule(REFLECTOR_WASM_BASE64, (module) => {
  compiled = module;
  wasm = instantiateWasm<ReflectorExports>(module);
});
let jsBuffer = new Float64Array(0);

function tooLarge(size: number): never {
  throw new InitializerError(
    'fillOrthogonal',
    'shape',
    `the matrix needs a float64 workspace of ${size} elements (${Math.ceil((size * 8) / 2 ** 20)} MiB), more than this platform can allocate`,
  );
}

function wasmWorkspace(exports: ReflectorExports, size: number): Workspace {
  const memory = exports.memory;
  const bytes = size * 8;
  if (memory.buffer.byteLength < bytes) {
    try {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    } catch {
      return jsWorkspace(size); // past WebAssembly's 4 GiB: plain JavaScript, if that can allocate it
    }
  }
  const f64 = new Float64Array(memory.buffer, 0, size);
  const apply = exports.apply;
  return {
    f64,
    kernel: 'wasm-simd',
    applyBlockReflector: (c, ldc, p, r, v, nb, t, w) => apply(8 * c, ldc, p, r, 8 * v, nb, 8 * t, 8 * w),
  };
}

function jsWorkspace(size: number): Workspace {
  let f64 = jsBuffer;
  if (f64.length < size) {
    try {
      f64 = new Float64Array(size);
    } catch {
      return tooLarge(size);
    }
    if (size <= KEEP) jsBuffer = f64;
  }
  return {
    f64,
    kernel: 'js',
    applyBlockReflector: (c, ldc, p, r, v, nb, t, w) => applyBlockReflector(f64, c, ldc, p, r, v, nb, t, w),
  };
}

/**
 * Switches the WebAssembly SIMD kernel of the orthogonal initializers on or off (on by default
 * where available) and returns whether it is now in use. The two kernels agree to float64
 * rounding; this exists to compare them and to rule the kernel out when debugging.
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
 * A workspace of at least `size` float64 elements: reused between calls up to 64 MB, fresh (and
 * collectable afterwards) above.
 */
export function workspace(size: number): Workspace {
  if (useWasm && wasm !== null && compiled !== null) return wasmWorkspace(size <= KEEP ? wasm : instantiateWasm<ReflectorExports>(compiled), size);
  return jsWorkspace(size);
}
