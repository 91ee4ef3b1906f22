import {seedToKey, threefry2x32} from './threefry';

/**
 * Samplers that write straight into a `Float32Array`.
 *
 * Every sampler takes `(seed, stream, offset)`: element `j` of `out` is element `offset + j` of the
 * infinite sequence for `(seed, stream)`, so filling a tensor whole or in chunks gives identical
 * bits. One initializer call uses one seed and distinct small stream numbers for distinct purposes
 * (values, positions, ...).
 */

const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;
const words = new Uint32Array(2);

/**
 * Uniform on [low, high): u = (w >>> 8)·2⁻²⁴ from one 32-bit word, value = low + (high − low)·u.
 * Block b of the stream yields elements 2b and 2b + 1.
 */
export function fillUniform(
  out: Float32Array,
  seed: number,
  stream: number,
  low: number,
  high: number,
  offset = 0,
): void {
  const [k0, k1] = seedToKey(seed);
  const width = (high - low) * TWO_POW_M24;
  const n = out.length;
  for (let j = 0; j < n; j++) {
    const i = offset + j;
    threefry2x32(k0, k1, Math.floor(i / 2), stream, words, 0);
    out[j] = low + width * (words[i & 1] >>> 8);
  }
}

/**
 * Normal N(mean, std²) by Box–Muller on the two words of block `i` (one block per element).
 */
export function fillNormal(
  out: Float32Array,
  seed: number,
  stream: number,
  mean: number,
  std: number,
  offset = 0,
): void {
  const [k0, k1] = seedToKey(seed);
  const n = out.length;
  for (let j = 0; j < n; j++) {
    threefry2x32(k0, k1, offset + j, stream, words, 0);
    const u1 = ((words[0] >>> 8) + 1) * TWO_POW_M24;
    const u2 = (words[1] >>> 8) * TWO_POW_M24;
    out[j] = mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
  }
}

/**
 * A uniform integer in [0, n) for counter `index` of `(seed, stream)`: 53 random bits scaled to n
 * (bias below n / 2^53). For index-picking (sparse positions, permutations), not bulk fills.
 */
export function randomIndex(seed: number, stream: number, index: number, n: number): number {
  const [k0, k1] = seedToKey(seed);
  threefry2x32(k0, k1, index, stream, words, 0);
  const u = ((words[0] >>> 5) * 67108864 + (words[1] >>> 6)) * TWO_POW_M53;
  return Math.floor(u * n);
}

/** Attempts are folded into the high half of the stream word: stream + attempt·2^16. */
const ATTEMPT_STRIDE = 65536;

/**
 * Normal N(mean, std²) truncated to the absolute interval [a, b] (as `torch.nn.init.trunc_normal_`),
 * by rejection: element i tries Box–Muller draws from blocks (i, stream + t·2^16), t = 0, 1, …,
 * until one lands in [a, b]. Exact; slow when [a, b] holds little mass.
 */
export function fillTruncatedNormal(
  out: Float32Array,
  seed: number,
  stream: number,
  mean: number,
  std: number,
  a: number,
  b: number,
  offset = 0,
): void {
  const [k0, k1] = seedToKey(seed);
  const n = out.length;
  for (let j = 0; j < n; j++) {
    for (let t = 0; ; t++) {
      threefry2x32(k0, k1, offset + j, stream + t * ATTEMPT_STRIDE, words, 0);
      const u1 = ((words[0] >>> 8) + 1) * TWO_POW_M24;
      const u2 = (words[1] >>> 8) * TWO_POW_M24;
      const x = mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
      if (x >= a && x <= b) {
        out[j] = x;
        break;
      }
    }
  }
}
