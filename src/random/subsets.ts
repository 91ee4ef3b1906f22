import {seedToKey, threefry2x32 as threefry2x32Import} from './threefry';
import {simdKernels} from './wasm';
import {CHUNK, GROUP} from './wasm-layout';

// Per-element code reads module-local bindings (see normal.ts).
const threefry2x32 = threefry2x32Import;

const TWO_POW_M53 = 1 / 9007199254740992;
/** Blocks per `blocks` kernel call: whole groups of GROUP / 2 blocks, within the chunk. */
const BLOCKS_PER_CALL = CHUNK / 2 - GROUP;
/** Below this many picks the JavaScript loop is as fast as a kernel call. */
const SIMD_MIN = 64;

/**
 * Uniform random k-subsets of [0, n), one per group, by a partial Fisher–Yates shuffle (Durstenfeld
 * 1964) stopped after k steps: for groups g0 ≤ g < g1, `out[(g − g0)·k + t]` (t < k) are the first
 * k entries of a uniformly random permutation of [0, n) — k distinct values, every k-subset and
 * every order equally likely.
 *
 * Step t of group g reads the Threefry-2x32-20 block at counter (g·k + t, stream) (key = the seed's
 * two halves), takes the 53-bit uniform u = ((w0 >>> 5)·2²⁶ + (w1 >>> 6))·2⁻⁵³ and swaps entry t
 * with entry j = t + ⌊u·(n − t)⌋ (bias below n/2⁵³). Pick t of group g thus depends on (seed,
 * stream, g) only: any range of groups, in any batches, gives the same picks. The blocks come from
 * the SIMD `blocks` kernel where it runs, else from the scalar Threefry: the same words either way.
 *
 * @param out at least (g1 − g0)·k entries; @param n, k integers with 0 ≤ k ≤ n and g1·k ≤ 2³²
 * (counters are 32-bit); @param seed integer in [0, 2^53 − 1]; @param stream integer in [0, 65535].
 * @example
 * ```ts
 * const picks = new Int32Array(3 * 2);
 * pickSubsets(picks, 0, 3, 10, 2, 42, 1);  // three 2-subsets of [0, 10)
 * ```
 */
export function pickSubsets(
  out: Int32Array,
  g0: number,
  g1: number,
  n: number,
  k: number,
  seed: number,
  stream: number,
): void {
  const [k0, k1] = seedToKey(seed);
  const perm = new Int32Array(n);
  const total = (g1 - g0) * k;
  const first = g0 * k; // counter of the first pick
  const kernels = total >= SIMD_MIN ? simdKernels() : null;
  if (kernels === null) {
    const words = new Uint32Array(2 * Math.min(total, BLOCKS_PER_CALL));
    for (let at = 0; at < total; at += BLOCKS_PER_CALL) {
      const count = Math.min(total - at, BLOCKS_PER_CALL);
      for (let s = 0; s < count; s++) threefry2x32(k0, k1, first + at + s, stream, words, 2 * s);
      shuffle(out, at, count, words, perm, n, k);
    }
    return;
  }
  for (let at = 0; at < total; at += BLOCKS_PER_CALL) {
    const count = Math.min(total - at, BLOCKS_PER_CALL);
    kernels.blocks(k0, k1, stream, first + at, Math.ceil(count / (GROUP / 2)));
    shuffle(out, at, count, kernels.words, perm, n, k);
  }
}

/**
 * Picks at … at + count − 1 (pick index i is step i mod k of its group) from the word pairs
 * words[2s], words[2s + 1]; `perm` carries the group's permutation across calls.
 */
function shuffle(
  out: Int32Array,
  at: number,
  count: number,
  words: Uint32Array,
  perm: Int32Array,
  n: number,
  k: number,
): void {
  let t = at % k;
  for (let s = 0; s < count; s++) {
    if (t === 0) for (let i = 0; i < n; i++) perm[i] = i;
    const u = ((words[2 * s] >>> 5) * 67108864 + (words[2 * s + 1] >>> 6)) * TWO_POW_M53;
    const j = t + Math.floor(u * (n - t));
    const pick = perm[j];
    perm[j] = perm[t];
    perm[t] = pick;
    out[at + s] = pick;
    if (++t === k) t = 0;
  }
}
