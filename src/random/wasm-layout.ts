/**
 * Memory layout of the WebAssembly SIMD random kernels, shared by the generator
 * (`scripts/random-kernels/`) and the runtime loader (`wasm.ts`). Offsets are in bytes.
 */

/** Elements one kernel call writes at most (the chunk a fill is cut into). */
export const CHUNK = 16384;
/**
 * The ziggurat fast-path table, 512 entries of 8 bytes indexed by the low 9 bits of a word (layer
 * i = bits 0–7, sign = bit 8): entry (i | s·256) = (K[i] as int32, (−1)^s·W[i] as float32), so one
 * 64-bit load per lane gathers the threshold and the signed width.
 */
export const ZIG_OFFSET = 0;
/** Ziggurat layer widths ·2⁻²³, `Float32Array(ZIG_LAYERS)` (the wedge test). */
export const W_OFFSET = 4096;
/** Wedge base heights f32(f(x_i)), `Float32Array(ZIG_LAYERS)`. */
export const FB_OFFSET = 5120;
/** Wedge height steps f32(f(x_{i+1}) − f(x_i)), `Float32Array(ZIG_LAYERS)`. */
export const FD_OFFSET = 6144;
/** The chunk of float32 results (an element the fast path did not finish holds a value to overwrite). */
export const OUT_OFFSET = 8192;
/** Each chunk element's first word, written by the ziggurat kernels for the slow path. */
export const WORDS_OFFSET = OUT_OFFSET + 4 * CHUNK;
/**
 * One byte per 4 chunk elements: bit l set when element 4v + l was finished by the SIMD fast
 * path (written without branches; the caller finishes the others).
 */
export const MASK_OFFSET = WORDS_OFFSET + 4 * CHUNK;
/** As MASK_OFFSET, bit set when the ziggurat's fast test passed (before any interval test). */
export const FAST_MASK_OFFSET = MASK_OFFSET + CHUNK / 4;
/** Chunk positions (int32) of fast draws outside a truncation interval: retried in SIMD. */
export const RETRY_LIST_OFFSET = FAST_MASK_OFFSET + CHUNK / 4;
/** Chunk positions (int32) of draws that need the ziggurat's slow path (JavaScript). */
export const SLOW_LIST_OFFSET = RETRY_LIST_OFFSET + 4 * CHUNK;
/** Chunk positions (int32) whose SIMD retry failed too (JavaScript). */
export const FAIL_LIST_OFFSET = SLOW_LIST_OFFSET + 4 * CHUNK;
/** 64 KiB pages the module's memory has. */
export const PAGES = Math.ceil((FAIL_LIST_OFFSET + 4 * CHUNK) / 65536);
/**
 * Vector pairs (4 Threefry blocks each) one loop iteration computes: the unroll factor (4 measured
 * ~25% faster than 2).
 */
export const UNROLL = 4;
/** Elements one loop iteration writes: 4 blocks · 2 words · UNROLL. */
export const GROUP = 8 * UNROLL;
