/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; the Random123 library), the counter-based generator JAX uses.
 *
 * A block cipher keyed by a 64-bit key (k0, k1) maps a 64-bit counter (c0, c1) to 64 random bits.
 * Because output depends only on (key, counter), any element of any tensor can be computed on its
 * own: filling in chunks, in workers, or on a GPU gives bit-identical values.
 *
 * Chosen over Philox-4x32 because its rounds use only 32-bit add, rotate and xor — cheap in
 * JavaScript, in WASM SIMD and in WebGL shaders, none of which has a fast 32×32→64 multiply.
 */

/** Threefry's key-schedule parity constant for 32-bit words. */
const PARITY = 0x1bd11bda;

/**
 * Computes one Threefry-2x32-20 block and writes its two 32-bit words to `out[at]`, `out[at+1]`.
 * Arguments are 32-bit integers (signed or unsigned; only the low 32 bits are used).
 *
 * @example
 * ```ts
 * const w = new Uint32Array(2);
 * threefry2x32(0, 0, 0, 0, w, 0); // w = [0x6b200159, 0x99ba4efe] (Random123 known answer)
 * ```
 */
export function threefry2x32(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  out: Uint32Array | Int32Array,
  at: number,
): void {
  const k2 = PARITY ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  // Rounds 0-3 (rotations 13, 15, 26, 6), then key injection 1.
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 1) | 0;
  // Rounds 4-7 (rotations 17, 29, 16, 24), then key injection 2.
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 2) | 0;
  // Rounds 8-11, key injection 3.
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1 + 3) | 0;
  // Rounds 12-15, key injection 4.
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 4) | 0;
  // Rounds 16-19, key injection 5.
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 5) | 0;
  out[at] = x0;
  out[at + 1] = x1;
}

/** Splits a seed in [0, 2^53) into the two 32-bit key words (low, high). */
export function seedToKey(seed: number): [number, number] {
  return [(seed % 4294967296) | 0, Math.floor(seed / 4294967296) | 0];
}
