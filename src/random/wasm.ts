import {fail} from '../core/errors';
import {instantiateWasm, loadWasmModule} from '../core/wasm';
import {RANDOM_WASM_BASE64} from './generated/random-wasm';
import {ZIG_FB, ZIG_FD, ZIG_K, ZIG_W} from './generated/ziggurat-tables';
import {
  CHUNK,
  FAIL_LIST_OFFSET,
  FB_OFFSET,
  FD_OFFSET,
  OUT_OFFSET,
  RETRY_LIST_OFFSET,
  SLOW_LIST_OFFSET,
  W_OFFSET,
  ZIG_OFFSET,
} from './wasm-layout';

/**
 * The WebAssembly SIMD kernels, when the platform runs them (Node ≥ 16.4, every current browser).
 *
 * The module is ~21 KB, loaded by `loadWasmModule` (synchronously in Node, asynchronously in
 * browsers, where the samplers use the plain JavaScript path until it is ready); both paths give
 * the same bits, so results never depend on which ran.
 */
export interface RandomKernels {
  /** Writes 16·groups uniforms for blocks b0, b0+1, … to `out`. */
  uniform(
    k0: number,
    k1: number,
    c1: number,
    b0: number,
    groups: number,
    lo: number,
    scale: number,
    top: number,
  ): void;
  /** Writes the two words of blocks b0, b0 + 1, … (16·groups blocks, 32·groups words) to `words`. */
  blocks(k0: number, k1: number, c1: number, b0: number, groups: number): void;
  /** Ziggurat fast path; marks what it finished in `masks`. */
  normal(
    k0: number,
    k1: number,
    c1: number,
    b0: number,
    groups: number,
    mean: number,
    std: number,
  ): void;
  /** As `normal`, also rejecting values outside [lo, hi]. */
  truncatedNormal(
    k0: number,
    k1: number,
    c1: number,
    b0: number,
    groups: number,
    mean: number,
    std: number,
    lo: number,
    hi: number,
  ): void;
  /**
   * Lists the unfinished positions in [skip, end): fast draws outside the interval in
   * `retryList` (truncated = 1 only), slow-path draws in `slowList`. Returns retries | slow << 16.
   */
  collect(skip: number, end: number, truncated: number): number;
  /**
   * Second truncated-normal try, in SIMD, for the `quads`·4 positions in `retryList`
   * (c1 = stream + 2^16, first = element at position 0); writes each result into the chunk and
   * returns how many positions it appended to `failList` (tried and failed again).
   */
  truncatedRetry(
    k0: number,
    k1: number,
    c1: number,
    first: number,
    quads: number,
    mean: number,
    std: number,
    lo: number,
    hi: number,
  ): number;
  /**
   * The ziggurat wedge test, in SIMD, for the `quads`·4 positions in `slowList`
   * (c1 = stream + 2^16); writes each value into the chunk and appends the positions it could not
   * finish to `failList` from index `failed` on. Returns the new count.
   */
  wedge(
    k0: number,
    k1: number,
    c1: number,
    first: number,
    quads: number,
    mean: number,
    std: number,
    lo: number,
    hi: number,
    failed: number,
  ): number;
  retryList: Int32Array;
  slowList: Int32Array;
  failList: Int32Array;
  /** The chunk the kernels write (CHUNK float32). */
  out: Float32Array;
  /** The same chunk as words (the `blocks` kernel writes here). */
  words: Uint32Array;
}

interface Exports {
  memory: WebAssembly.Memory;
  uniform: RandomKernels['uniform'];
  normal: RandomKernels['normal'];
  truncatedNormal: RandomKernels['truncatedNormal'];
  truncatedRetry: RandomKernels['truncatedRetry'];
  blocks: RandomKernels['blocks'];
  collect: RandomKernels['collect'];
  wedge: RandomKernels['wedge'];
}

let loaded: RandomKernels | null = null;
let enabled = true;

function install(module: WebAssembly.Module): void {
  const ex = instantiateWasm<Exports>(module);
  const buffer = ex.memory.buffer;
  const n = ZIG_K.length;
  const k = new Int32Array(buffer, ZIG_OFFSET, 4 * n);
  const w = new Float32Array(buffer, ZIG_OFFSET, 4 * n);
  for (let i = 0; i < 2 * n; i++) {
    k[2 * i] = ZIG_K[i % n];
    w[2 * i + 1] = i < n ? ZIG_W[i] : -ZIG_W[i - n];
  }
  new Float32Array(buffer, W_OFFSET, n).set(ZIG_W);
  new Float32Array(buffer, FB_OFFSET, ZIG_FB.length).set(ZIG_FB);
  new Float32Array(buffer, FD_OFFSET, ZIG_FD.length).set(ZIG_FD);
  loaded = {
    uniform: ex.uniform,
    normal: ex.normal,
    truncatedNormal: ex.truncatedNormal,
    truncatedRetry: ex.truncatedRetry,
    collect: ex.collect,
    blocks: ex.blocks,
    wedge: ex.wedge,
    retryList: new Int32Array(buffer, RETRY_LIST_OFFSET, CHUNK),
    slowList: new Int32Array(buffer, SLOW_LIST_OFFSET, CHUNK),
    failList: new Int32Array(buffer, FAIL_LIST_OFFSET, CHUNK),
    out: new Float32Array(buffer, OUT_OFFSET, CHUNK),
    words: new Uint32Array(buffer, OUT_OFFSET, CHUNK),
  };
}

loadWasmModule(RANDOM_WASM_BASE64, install);

/** The SIMD kernels, or `null` where they are unavailable, not yet compiled, or switched off. */
export function simdKernels(): RandomKernels | null {
  return enabled ? loaded : null;
}

/**
 * Switches the WebAssembly SIMD kernels on or off for this process (on by default where
 * available). Results are bit-identical either way; this exists to compare the two paths and to
 * rule the kernels out when debugging. Returns whether the kernels are now in use.
 *
 * @example
 * ```ts
 * useSimd(false); // plain JavaScript from now on
 * ```
 */
export function useSimd(on: boolean): boolean {
  if (typeof on !== 'boolean') fail('useSimd', 'on', 'true or false', on);
  enabled = on;
  return simdKernels() !== null;
}
