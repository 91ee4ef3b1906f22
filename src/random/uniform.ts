import {chunkAt, copyOut, type Chunk} from './chunks';
import {threefry2x32 as threefry2x32Import} from './threefry';
import {simdKernels} from './wasm';

// Per-element code reads module-local bindings: an imported binding can compile to an export
// getter call (CommonJS output of esbuild/tsx), which costs more than the draw itself.
const threefry2x32 = threefry2x32Import;

/** Below this many elements the JavaScript loop is as fast as a kernel call. */
const SIMD_MIN = 64;
const block = new Uint32Array(2);
const chunk: Chunk = {b0: 0, skip: 0, take: 0, groups: 0};

/**
 * Float32 parameters of a uniform fill on [low, high): lo = smallest float32 ≥ low,
 * scale = float32((high − low)·2⁻²⁴), top = largest float32 < high (or lo when there is none).
 */
export interface UniformParams {
  lo: number;
  scale: number;
  top: number;
}

/**
 * Element e of a uniform fill: word w = word (e mod 2) of block ⌊e/2⌋ at counter (⌊e/2⌋, stream),
 * m = w >>> 8 (24 bits), value = min(f32(lo + f32(m·scale)), top), all in float32 arithmetic.
 */
export function fillUniformWith(
  out: Float32Array,
  k0: number,
  k1: number,
  stream: number,
  p: UniformParams,
  offset: number,
): void {
  const kernels = out.length >= SIMD_MIN ? simdKernels() : null;
  if (kernels === null) {
    uniformJs(out, k0, k1, stream, p, offset);
    return;
  }
  const n = out.length;
  for (let j = 0; j < n; j += chunk.take) {
    chunkAt(n, offset, j, chunk);
    kernels.uniform(k0, k1, stream, chunk.b0, chunk.groups, p.lo, p.scale, p.top);
    copyOut(out, j, kernels.out, chunk.skip, chunk.take);
  }
}

function uniformJs(
  out: Float32Array,
  k0: number,
  k1: number,
  stream: number,
  p: UniformParams,
  offset: number,
): void {
  const {lo, scale, top} = p;
  const n = out.length;
  let j = 0;
  if (n > 0 && (offset & 1) === 1) {
    threefry2x32(k0, k1, (offset - 1) / 2, stream, block, 0);
    const v = Math.fround(lo + Math.fround((block[1] >>> 8) * scale));
    out[0] = top < v ? top : v;
    j = 1;
  }
  for (; j + 1 < n; j += 2) {
    threefry2x32(k0, k1, (offset + j) / 2, stream, block, 0);
    const v0 = Math.fround(lo + Math.fround((block[0] >>> 8) * scale));
    const v1 = Math.fround(lo + Math.fround((block[1] >>> 8) * scale));
    out[j] = top < v0 ? top : v0;
    out[j + 1] = top < v1 ? top : v1;
  }
  if (j < n) {
    threefry2x32(k0, k1, (offset + j) / 2, stream, block, 0);
    const v = Math.fround(lo + Math.fround((block[0] >>> 8) * scale));
    out[j] = top < v ? top : v;
  }
}
