import {chunkAt, copyOut, type Chunk} from './chunks';
import {exp32 as exp32Import} from './exp32';
import {
  ZIG_FB as ZIG_FBImport,
  ZIG_FD as ZIG_FDImport,
  ZIG_K as ZIG_KImport,
  ZIG_R as ZIG_RImport,
  ZIG_W as ZIG_WImport,
} from './generated/ziggurat-tables';
import {threefry2x32 as threefry2x32Import} from './threefry';
import {simdKernels, type RandomKernels} from './wasm';
import {ATTEMPT_STRIDE, reader as readerImport} from './words';

// Per-element code reads module-local bindings: an imported binding can compile to an export
// getter call (CommonJS output of esbuild/tsx), which costs more than the draw itself.
const reader = readerImport;
const threefry2x32 = threefry2x32Import;
const exp32 = exp32Import;
const ZIG_FB = ZIG_FBImport;
const ZIG_FD = ZIG_FDImport;
const ZIG_K = ZIG_KImport;
const ZIG_R = ZIG_RImport;
const ZIG_W = ZIG_WImport;

/**
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000; 256 layers, tables in
 * `generated/ziggurat-tables.ts`), one 32-bit word per draw:
 *
 *     layer i = w & 255,  sign = bit 8 of w,  m = w >>> 9 (23 bits),  |z| = f32(m · W[i]).
 *
 * The draw is accepted at once when m < K[i] (98.5% of draws): the point lies in the part of the
 * layer that is wholly under the curve. Otherwise (the slow path) the base layer samples the tail
 * beyond r by Marsaglia's method, and the other layers test the wedge against exp(−z²/2) with a
 * fresh uniform, restarting from a fresh word on failure. The wedge test runs in float32 with
 * `exp32` (error < 2e-7 relative, so a decision can differ from exact arithmetic only for points
 * within that distance of the curve), which lets the SIMD kernel take it too, with the same bits.
 * Fresh words come from the element's own
 * counters (`words.ts`), so the result is exact and element e depends on (seed, stream, e) only.
 */

const SIMD_MIN = 64;
const TWO_POW_M24 = 1 / 16777216;
const block = new Uint32Array(2);
const chunk: Chunk = {b0: 0, skip: 0, take: 0, groups: 0};

/**
 * The fast path alone: ±f32(m · W[i]) when m < K[i], else NaN (the draw needs the slow path).
 * Operation for operation what the SIMD kernel computes.
 */
export function fastStandard(w: number): number {
  const i = w & 255;
  const m = w >>> 9;
  if (m >= ZIG_K[i]) return NaN;
  const z = Math.fround(m * ZIG_W[i]);
  return (w & 256) !== 0 ? -z : z;
}

/**
 * Standard normal z (a float32 value) from word `w`, reading further words from the reader
 * (`startWords` must point at the element) when the fast test fails.
 */
export function zigguratFrom(w: number): number {
  for (;;) {
    const i = w & 255;
    const m = w >>> 9;
    const negative = (w & 256) !== 0;
    if (m < ZIG_K[i]) {
      const z = Math.fround(m * ZIG_W[i]);
      return negative ? -z : z;
    }
    if (i === 0) return negative ? -tail() : tail();
    // Wedge: y uniform in the layer's height range, against the curve, in float32 like the kernel.
    const z = Math.fround(m * ZIG_W[i]);
    const y = Math.fround(
      ZIG_FB[i] + Math.fround(ZIG_FD[i] * ((reader.word() >>> 8) * TWO_POW_M24)),
    );
    if (y < exp32(Math.fround(Math.fround(z * z) * -0.5))) return negative ? -z : z;
    w = reader.word();
  }
}

/** |z| beyond r: a = −ln(u₁)/r, b = −ln(u₂), accept r + a when 2b > a² (Marsaglia 1964). */
function tail(): number {
  for (;;) {
    const a = -Math.log(reader.uniform()) / ZIG_R;
    const b = -Math.log(reader.uniform());
    if (b + b > a * a) return Math.fround(ZIG_R + a);
  }
}

let key0 = 0;
let key1 = 0;
let streamWord = 0;
let mean32 = 0;
let std32 = 1;

/** Element e of N(mean, std²), given its first word w: f32(mean + f32(std · z)). */
function element(e: number, w: number): number {
  let z = fastStandard(w);
  if (z !== z) {
    reader.start(key0, key1, e, streamWord);
    z = zigguratFrom(w);
  }
  return Math.fround(mean32 + Math.fround(std32 * z));
}

/**
 * Fills `out` with elements offset, offset + 1, … of N(mean32, std32²) for key (k0, k1) and
 * `stream`. Element e's first word is word (e mod 2) of block (⌊e/2⌋, stream).
 */
export function fillNormalWith(
  out: Float32Array,
  k0: number,
  k1: number,
  stream: number,
  mean: number,
  std: number,
  offset: number,
): void {
  key0 = k0;
  key1 = k1;
  streamWord = stream;
  mean32 = mean;
  std32 = std;
  const n = out.length;
  const kernels = n >= SIMD_MIN ? simdKernels() : null;
  if (kernels === null) {
    normalJs(out, offset);
    return;
  }
  for (let j = 0; j < n; j += chunk.take) {
    chunkAt(n, offset, j, chunk);
    kernels.normal(k0, k1, stream, chunk.b0, chunk.groups, mean, std);
    const {skip, take} = chunk;
    const first = offset + j - skip; // element at chunk position 0
    const slow = kernels.collect(skip, skip + take, 0) >>> 16;
    const failed =
      slow === 0
        ? 0
        : wedge(kernels, k0, k1, stream, first, slow, mean, std, -Infinity, Infinity, 0);
    copyOut(out, j, kernels.out, skip, take);
    for (let r = 0; r < failed; r++) {
      const at = kernels.failList[r];
      const e = first + at;
      threefry2x32(k0, k1, Math.floor(e / 2), stream, block, 0);
      out[j + at - skip] = element(e, block[e & 1]);
    }
  }
}

function normalJs(out: Float32Array, offset: number): void {
  const n = out.length;
  let j = 0;
  if (n > 0 && (offset & 1) === 1) {
    threefry2x32(key0, key1, (offset - 1) / 2, streamWord, block, 0);
    out[0] = element(offset, block[1]);
    j = 1;
  }
  for (; j + 1 < n; j += 2) {
    const e = offset + j;
    threefry2x32(key0, key1, e / 2, streamWord, block, 0);
    const w1 = block[1];
    out[j] = element(e, block[0]);
    out[j + 1] = element(e + 1, w1);
  }
  if (j < n) {
    threefry2x32(key0, key1, (offset + j) / 2, streamWord, block, 0);
    out[j] = element(offset + j, block[0]);
  }
}

/**
 * Runs the SIMD wedge test on the first `slow` entries of the slow list (padded to a multiple of
 * 4 with copies of the last), for elements at chunk positions from element `first` on. Returns
 * how many positions `failList` now holds (from `failed` on, the ones this call could not finish).
 */
export function wedge(
  kernels: RandomKernels,
  k0: number,
  k1: number,
  stream: number,
  first: number,
  slow: number,
  mean: number,
  std: number,
  lo: number,
  hi: number,
  failed: number,
): number {
  for (let pad = slow; (pad & 3) !== 0; pad++) kernels.slowList[pad] = kernels.slowList[slow - 1];
  return kernels.wedge(
    k0,
    k1,
    stream + ATTEMPT_STRIDE,
    first,
    (slow + 3) >>> 2,
    mean,
    std,
    lo,
    hi,
    failed,
  );
}
