import {InitializerError, describeValue} from '../core/errors';
import {MAX_MAGNITUDE, checkArgument, requiredSeed} from '../core/options';
import {fillNormalWith} from './normal';
import {seedToKey, threefry2x32} from './threefry';
import {planTruncated, fillTruncatedWith} from './truncated-normal';
import {fillUniformWith} from './uniform';
import {float32AtLeast, float32AtMost, float32Below} from './float32';
import {MAX_STREAM} from './words';

/**
 * Samplers that write straight into a `Float32Array`.
 *
 * Every sampler takes `(seed, stream, offset)`: element `j` of `out` is element `offset + j` of the
 * infinite sequence for `(seed, stream)`, so filling a tensor whole, in chunks of any size, or in
 * several workers gives identical bits. One initializer call uses one seed and distinct small
 * stream numbers for distinct purposes (values 0, positions 1, …).
 *
 * Element e's first 32-bit word is word (e mod 2) of the Threefry-2x32-20 block with key = the
 * seed's two 32-bit halves and counter (⌊e/2⌋, stream); draws that need more randomness read the
 * element's own counters (e, stream + t·2^16), t = 1, 2, … (see `words.ts`). The WebAssembly SIMD
 * kernels and the plain JavaScript loops compute the same float32 operations and give the same
 * bits (tested); which one runs is invisible in the results.
 *
 * Limits: seed an integer in [0, 2^53 − 1], stream an integer in [0, 65535], offset an integer ≥ 0
 * with offset + out.length ≤ 2^32; low, high, mean and std finite and at most 1e36 in magnitude
 * (`MAX_MAGNITUDE`), so that no value overflows float32.
 */

const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;
const MAX_ELEMENT = 4294967296;
const words = new Uint32Array(2);

function checkCommon(
  owner: string,
  out: unknown,
  seed: number,
  stream: number,
  offset: number,
): void {
  if (!(out instanceof Float32Array)) {
    throw new InitializerError(
      owner,
      'out',
      `argument \`out\` must be a Float32Array. Received: ${describeValue(out)}`,
    );
  }
  checkArgument(owner, 'seed', seed, requiredSeed());
  if (!Number.isInteger(stream) || stream < 0 || stream > MAX_STREAM) {
    throw new InitializerError(
      owner,
      'stream',
      `argument \`stream\` must be an integer in [0, ${MAX_STREAM}]. Received: stream=${describeValue(stream)}`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + out.length > MAX_ELEMENT) {
    throw new InitializerError(
      owner,
      'offset',
      `argument \`offset\` must be an integer >= 0 with offset + ` +
        `out.length <= 2^32. Received: ` +
        `offset=${describeValue(offset)}, out.length=${out.length}`,
    );
  }
}

function checkFinite(owner: string, name: string, value: number, min = -Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const allowed = min === -Infinity ? 'a finite number' : `a finite number >= ${min}`;
    throw new InitializerError(
      owner,
      name,
      `argument \`${name}\` must be ${allowed}. Received: ${name}=${describeValue(value)}`,
    );
  }
  if (Math.abs(value) > MAX_MAGNITUDE) {
    throw new InitializerError(
      owner,
      name,
      `argument \`${name}\` must be at most 1e36 in magnitude ` +
        `(larger values overflow float32). Received: ${name}=${value}`,
    );
  }
}

/**
 * Uniform on [low, high): element e takes the 24 high bits m of its word and is
 * min(f32(lo + f32(m · scale)), top), where lo is the smallest float32 ≥ low,
 * scale = f32((high − low)·2⁻²⁴) and top the largest float32 < high. Every value is a float32
 * in [low, high), also after rounding (a range holding no float32 gives lo).
 *
 * @param out filled in place; element j is element offset + j of the sequence.
 * @param seed integer in [0, 2^53 − 1] (the key); @param stream integer in [0, 65535].
 * @example
 * ```ts
 * const w = new Float32Array(6);
 * fillUniform(w, 42, 0, -1, 1);          // U[−1, 1)
 * const tail = new Float32Array(2);
 * fillUniform(tail, 42, 0, -1, 1, 4);    // equals w.subarray(4)
 * ```
 * @see `torch.Tensor.uniform_`, `tf.randomUniform`.
 */
export function fillUniform(
  out: Float32Array,
  seed: number,
  stream: number,
  low: number,
  high: number,
  offset = 0,
): void {
  checkCommon('fillUniform', out, seed, stream, offset);
  checkFinite('fillUniform', 'low', low);
  checkFinite('fillUniform', 'high', high, low);
  const lo = float32AtLeast(low);
  const below = float32Below(high);
  const params = {lo, scale: Math.fround((high - low) * TWO_POW_M24), top: below < lo ? lo : below};
  const [k0, k1] = seedToKey(seed);
  fillUniformWith(out, k0, k1, stream, params, offset);
}

/**
 * Normal N(mean, std²) by the ziggurat method (Marsaglia & Tsang 2000), exact: element e is
 * f32(mean + f32(std · z)) with z the standard normal drawn from its word (see `normal.ts`);
 * mean and std are used as float32.
 *
 * @example
 * ```ts
 * const w = new Float32Array(1000);
 * fillNormal(w, 7, 0, 0, 0.02);  // N(0, 0.02²)
 * ```
 * @see `torch.Tensor.normal_`, `tf.randomNormal`.
 */
export function fillNormal(
  out: Float32Array,
  seed: number,
  stream: number,
  mean: number,
  std: number,
  offset = 0,
): void {
  checkCommon('fillNormal', out, seed, stream, offset);
  checkFinite('fillNormal', 'mean', mean);
  checkFinite('fillNormal', 'std', std, 0);
  const [k0, k1] = seedToKey(seed);
  fillNormalWith(out, k0, k1, stream, Math.fround(mean), Math.fround(std), offset);
}

/**
 * Normal N(mean, std²) truncated to the absolute interval [a, b] (as
 * `torch.nn.init.trunc_normal_`; a = −∞ or b = +∞ allowed), exact and fast anywhere, also far in
 * the tail ([2, 6], [6, 8]) or for narrow intervals ([−0.1, 0.1]): see `truncated-normal.ts` for
 * the three proposals and how one is chosen. Every value is a float32 in [a, b]. With std = 0 every
 * value is mean, moved to the nearest float32 in [a, b].
 *
 * @throws InitializerError when a ≥ b or no float32 lies in [a, b].
 * @example
 * ```ts
 * const w = new Float32Array(1000);
 * fillTruncNormal(w, 7, 0, 0, 1, -2, 2);  // tf.truncatedNormal's and PyTorch's default
 * fillTruncNormal(w, 7, 0, 0, 1, 6, 8);   // far tail: still about one try per value
 * ```
 * @see `torch.nn.init.trunc_normal_`; Robert, "Simulation of truncated normal variables",
 * Statistics and Computing 5, 1995.
 */
export function fillTruncNormal(
  out: Float32Array,
  seed: number,
  stream: number,
  mean: number,
  std: number,
  a: number,
  b: number,
  offset = 0,
): void {
  const owner = 'fillTruncNormal';
  checkCommon(owner, out, seed, stream, offset);
  checkFinite(owner, 'mean', mean);
  checkFinite(owner, 'std', std, 0);
  if (
    typeof a !== 'number' ||
    typeof b !== 'number' ||
    Number.isNaN(a) ||
    Number.isNaN(b) ||
    !(a < b)
  ) {
    throw new InitializerError(
      owner,
      'b',
      `the bounds must satisfy a < b (infinite allowed). Received: a=${describeValue(a)}, b=${describeValue(b)}`,
    );
  }
  const lo = float32AtLeast(a);
  const hi = float32AtMost(b);
  if (lo > hi) {
    throw new InitializerError(
      owner,
      'b',
      `no float32 value lies in [a, b]. Received: a=${a}, b=${b}`,
    );
  }
  if (std === 0) {
    const m = Math.fround(mean);
    out.fill(m < lo ? lo : m > hi ? hi : m);
    return;
  }
  const [k0, k1] = seedToKey(seed);
  try {
    fillTruncatedWith(out, k0, k1, stream, planTruncated(mean, std, lo, hi, a, b), offset);
  } catch (e) {
    // Only where float32 rounding leaves no reachable value: e.g. all the mass within a rounding
    // step of a bound that rounds outside [a, b] (mean 0, std 1, a = 1e30).
    throw new InitializerError(
      owner,
      'b',
      `no float32 value of N(mean, std²) on [a, b] could be drawn ` +
        `(the mass lies closer to a bound than float32 can resolve). ` +
        `Received: mean=${mean}, std=${std}, a=${a}, b=${b}`,
    );
  }
}

/**
 * Fails at construction, under `owner`'s name, when {@link fillTruncNormal} could not draw from
 * N(mean, std²) on [a, b] (no float32 in [a, b], or none reachable): draws one value with seed 0.
 */
export function checkTruncatedDrawable(
  owner: string,
  mean: number,
  std: number,
  a: number,
  b: number,
): void {
  try {
    fillTruncNormal(new Float32Array(1), 0, 0, mean, std, a, b);
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    throw new InitializerError(owner, e.parameter, e.message.slice(e.owner.length + 2));
  }
}

/**
 * A uniform integer in [0, n) for counter `index` of `(seed, stream)`: 53 random bits of block
 * (index, stream) scaled to n (bias below n / 2^53). For index-picking (sparse positions,
 * permutations), not bulk fills.
 *
 * @example
 * ```ts
 * const j = randomIndex(42, 1, 0, 10); // an integer in [0, 10)
 * ```
 */
export function randomIndex(seed: number, stream: number, index: number, n: number): number {
  const [k0, k1] = seedToKey(seed);
  threefry2x32(k0, k1, index, stream, words, 0);
  const u = ((words[0] >>> 5) * 67108864 + (words[1] >>> 6)) * TWO_POW_M53;
  return Math.floor(u * n);
}
