import {chunkAt, copyOut, type Chunk} from './chunks';
import {
  fastStandard as fastStandardImport,
  wedge as wedgeImport,
  zigguratFrom as zigguratFromImport,
} from './normal';
import {threefry2x32 as threefry2x32Import} from './threefry';
import {simdKernels, type RandomKernels} from './wasm';
import {CHUNK, GROUP} from './wasm-layout';
import {ATTEMPT_STRIDE, reader as readerImport} from './words';

// Per-element code reads module-local bindings: an imported binding can compile to an export
// getter call (CommonJS output of esbuild/tsx), which costs more than the draw itself.
const reader = readerImport;
const threefry2x32 = threefry2x32Import;
const fastStandard = fastStandardImport;
const wedge = wedgeImport;
const zigguratFrom = zigguratFromImport;

/**
 * Exact normal N(mean, std²) truncated to [a, b], by rejection from whichever of three proposals
 * accepts most per unit of work for the standardised interval [α, β] = [(a − mean)/std, (b − mean)/std]:
 *
 * - **normal** (the ziggurat draw, kept when it lands in [α, β]); acceptance P = Φ(β) − Φ(α).
 *   Its first try per element runs in the SIMD kernel; used for wide intervals around the
 *   centre, such as tfjs's and PyTorch's default [−2, 2].
 * - **uniform** on [α, β], accepted with probability exp((μ² − x²)/2), μ the point of [α, β] nearest 0
 *   (Robert 1995, §2.1): acceptance √(2π)·P / ((β − α)·φ̃(μ)), near 1 for narrow intervals such as
 *   [−0.1, 0.1].
 * - **exponential** for one-sided intervals (0 ≤ α, or mirrored): x = α + E/λ with
 *   λ = (α + √(α² + 4))/2, accepted when x ≤ β and with probability exp(−(x − λ)²/2) (Robert 1995,
 *   §2.2): acceptance λ·e^{λα − λ²/2}·√(2π)·P, ≥ 0.76 for any one-sided tail and → 1 far out, such
 *   as [2, 6] or [6, 8].
 *
 * Every acceptance rate is proportional to P, so comparing them needs no Φ: the choice depends on
 * (α, β) only, is made once per fill, and is the same for every chunk. Values are computed as
 * f32(mean + std·x) and accepted only inside [lo, hi], the float32 bounds within [a, b], so
 * rounding can never put a value outside [a, b]. Element e uses its own counters only
 * (`words.ts`), so fills are chunk-invariant, and a draw never loops without bound (see
 * MAX_ATTEMPTS).
 */

export type TruncMethod = 'normal' | 'uniform' | 'exponential';

/** Everything a fill needs, fixed for the whole fill. */
export interface TruncPlan {
  method: TruncMethod;
  /** float32 mean and std (the normal method computes in float32 like the SIMD kernel). */
  mean32: number;
  std32: number;
  /** float64 mean and std (uniform and exponential methods). */
  mean: number;
  std: number;
  /** Float32 bounds inside [a, b]. */
  lo: number;
  hi: number;
  /** Standardised interval, mirrored to α ≥ 0 for the exponential method. */
  alpha: number;
  beta: number;
  /** −1 when mirrored, else 1. */
  sign: number;
  /** Exponential rate λ (exponential method); squared point nearest 0 (uniform method). */
  lambda: number;
  mu2: number;
}

/** Relative cost of one try (measured in bench/, JavaScript path): ziggurat, uniform, exponential. */
const COST_NORMAL = 1;
const COST_UNIFORM = 1.3;
const COST_EXPONENTIAL = 2.5;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Chooses the proposal for [α, β] (std > 0) as described above. */
export function planTruncated(
  mean: number,
  std: number,
  lo: number,
  hi: number,
  a: number,
  b: number,
): TruncPlan {
  let alpha = (a - mean) / std;
  let beta = (b - mean) / std;
  const plan: TruncPlan = {
    method: 'normal',
    mean32: Math.fround(mean),
    std32: Math.fround(std),
    mean,
    std,
    lo,
    hi,
    alpha,
    beta,
    sign: 1,
    lambda: 0,
    mu2: 0,
  };
  const sign = alpha + beta < 0 ? -1 : 1; // mirror so that the interval leans right
  if (sign < 0) [alpha, beta] = [-beta, -alpha];
  const mu = alpha > 0 ? alpha : 0;
  // log(acceptance / P) − log(cost) of each proposal; normal: log(1/1).
  const scoreNormal = -Math.log(COST_NORMAL);
  const scoreUniform =
    LOG_SQRT_2PI - Math.log(beta - alpha) + 0.5 * mu * mu - Math.log(COST_UNIFORM);
  const lambda = alpha / 2 + Math.hypot(alpha / 2, 1);
  const scoreExp =
    alpha >= 0
      ? Math.log(lambda) +
        lambda * alpha -
        0.5 * lambda * lambda +
        LOG_SQRT_2PI -
        Math.log(COST_EXPONENTIAL)
      : -Infinity;
  if (scoreUniform > scoreNormal && scoreUniform >= scoreExp) {
    plan.method = 'uniform';
    plan.mu2 = mu * mu;
  } else if (scoreExp > scoreNormal) {
    plan.method = 'exponential';
    plan.lambda = lambda;
  }
  if (plan.method !== 'normal') Object.assign(plan, {alpha, beta, sign});
  return plan;
}

let key0 = 0;
let key1 = 0;
let streamWord = 0;

/** Element e by the normal method, given its first word w (the SIMD kernel's first try). */
function byNormal(p: TruncPlan, e: number, w: number): number {
  reader.start(key0, key1, e, streamWord);
  for (;;) {
    const y = Math.fround(p.mean32 + Math.fround(p.std32 * zigguratFrom(w)));
    if (y >= p.lo && y <= p.hi) return y;
    w = reader.word();
  }
}

/** One try of the uniform method from words (w0, w1): the value, or NaN when rejected. */
function uniformTry(p: TruncPlan, w0: number, w1: number): number {
  const x = p.alpha + (p.beta - p.alpha) * ((w0 + 0.5) * TWO_POW_M32);
  const u = (w1 + 0.5) * TWO_POW_M32;
  const t = 0.5 * (x * x - p.mu2);
  if (u <= 1 - t || u <= Math.exp(-t)) {
    const y = Math.fround(p.mean + p.std * p.sign * x);
    if (y >= p.lo && y <= p.hi) return y;
  }
  return NaN;
}

/**
 * One try of the exponential method from words (w0, w1): the value, or NaN when rejected.
 * x − λ = (E − 1)/λ since λ − α = 1/λ.
 */
function exponentialTry(p: TruncPlan, w0: number, w1: number): number {
  const E = -Math.log((w0 + 0.5) * TWO_POW_M32);
  const u = (w1 + 0.5) * TWO_POW_M32;
  const x = p.alpha + E / p.lambda;
  if (x > p.beta) return NaN;
  const d = (E - 1) / p.lambda;
  const t = 0.5 * d * d;
  if (u <= 1 - t || u <= Math.exp(-t)) {
    const y = Math.fround(p.mean + p.std * p.sign * x);
    if (y >= p.lo && y <= p.hi) return y;
  }
  return NaN;
}

/**
 * Element e by the uniform or exponential method, given the two words of its first block
 * (e, stream + 2^16); further tries read blocks t = 2, 3, … Two words per try.
 */
function byProposal(p: TruncPlan, e: number, w0: number, w1: number): number {
  const exponential = p.method === 'exponential';
  let y = exponential ? exponentialTry(p, w0, w1) : uniformTry(p, w0, w1);
  if (y === y) return y;
  reader.start(key0, key1, e, streamWord, 2);
  do {
    const v0 = reader.word();
    y = exponential ? exponentialTry(p, v0, reader.word()) : uniformTry(p, v0, reader.word());
  } while (y !== y);
  return y;
}

const SIMD_MIN = 64;
const TWO_POW_M32 = 1 / 4294967296;
/** Elements per `words` kernel call: two words each, whole groups, within the chunk. */
const PROPOSAL_CHUNK = CHUNK / 2 - GROUP;
const block = new Uint32Array(2);
const chunk: Chunk = {b0: 0, skip: 0, take: 0, groups: 0};

/**
 * Fills `out` with elements offset, offset + 1, … of the truncated normal `p` for key (k0, k1)
 * and `stream`. Normal method: element e's first word is word (e mod 2) of block (⌊e/2⌋, stream),
 * then its own extra words; other methods: its own extra words only.
 */
export function fillTruncatedWith(
  out: Float32Array,
  k0: number,
  k1: number,
  stream: number,
  p: TruncPlan,
  offset: number,
): void {
  key0 = k0;
  key1 = k1;
  streamWord = stream;
  const n = out.length;
  const kernels = n >= SIMD_MIN ? simdKernels() : null;
  if (p.method !== 'normal') {
    fillByProposal(out, p, offset, kernels);
    return;
  }
  if (kernels === null) {
    truncatedNormalJs(out, p, offset);
    return;
  }
  for (let j = 0; j < n; j += chunk.take) {
    chunkAt(n, offset, j, chunk);
    kernels.truncatedNormal(k0, k1, stream, chunk.b0, chunk.groups, p.mean32, p.std32, p.lo, p.hi);
    const {skip, take} = chunk;
    const first = offset + j - skip; // element at chunk position 0
    const counts = kernels.collect(skip, skip + take, 1);
    const retries = counts & 0xffff;
    // Fast draws outside [lo, hi] get their second try in SIMD, written into the chunk.
    let failed = 0;
    if (retries > 0) {
      for (let pad = retries; (pad & 3) !== 0; pad++)
        kernels.retryList[pad] = kernels.retryList[retries - 1];
      failed = kernels.truncatedRetry(
        k0,
        k1,
        stream + ATTEMPT_STRIDE,
        first,
        (retries + 3) >>> 2,
        p.mean32,
        p.std32,
        p.lo,
        p.hi,
      );
    }
    const slow = counts >>> 16;
    if (slow > 0)
      failed = wedge(kernels, k0, k1, stream, first, slow, p.mean32, p.std32, p.lo, p.hi, failed);
    copyOut(out, j, kernels.out, skip, take);
    for (let r = 0; r < failed; r++) {
      const at = kernels.failList[r];
      const e = first + at;
      threefry2x32(k0, k1, Math.floor(e / 2), stream, block, 0);
      out[j + at - skip] = byNormal(p, e, block[e & 1]);
    }
  }
}

/**
 * The uniform and exponential methods: element e's first try uses the words of block
 * (e, stream + 2^16), computed by the SIMD kernel for a whole chunk of consecutive elements
 * when it is available, else one block at a time here.
 */
function fillByProposal(
  out: Float32Array,
  p: TruncPlan,
  offset: number,
  kernels: RandomKernels | null,
): void {
  const n = out.length;
  const c1 = streamWord + ATTEMPT_STRIDE;
  if (kernels === null) {
    for (let j = 0; j < n; j++) {
      threefry2x32(key0, key1, offset + j, c1, block, 0);
      out[j] = byProposal(p, offset + j, block[0], block[1]);
    }
    return;
  }
  const words = kernels.words;
  for (let j = 0; j < n; j += PROPOSAL_CHUNK) {
    const take = Math.min(n - j, PROPOSAL_CHUNK);
    kernels.blocks(key0, key1, c1, offset + j, Math.ceil(take / (GROUP / 2)));
    for (let k = 0; k < take; k++)
      out[j + k] = byProposal(p, offset + j + k, words[2 * k], words[2 * k + 1]);
  }
}

/** The normal method in plain JavaScript: the same first try as the kernel, then byNormal. */
function truncatedNormalJs(out: Float32Array, p: TruncPlan, offset: number): void {
  const n = out.length;
  for (let j = 0; j < n; j++) {
    const e = offset + j;
    if (j === 0 || (e & 1) === 0) threefry2x32(key0, key1, Math.floor(e / 2), streamWord, block, 0);
    out[j] = firstTry(p, e, block[e & 1]);
  }
}

function firstTry(p: TruncPlan, e: number, w: number): number {
  const z = fastStandard(w);
  if (z === z) {
    const y = Math.fround(p.mean32 + Math.fround(p.std32 * z));
    if (y >= p.lo && y <= p.hi) return y;
  }
  return byNormal(p, e, w);
}
