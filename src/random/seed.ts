import {InitializerError, describeValue} from '../core/errors';
import {checkArgument, requiredSeed} from '../core/options';
import {seedToKey, threefry2x32} from './threefry';

/**
 * The process-wide seed stream, like `torch.manual_seed` (full rule: docs/seeding.md).
 *
 * Rule: after `setSeed(n)`, the k-th unseeded `apply` (k = 0, 1, 2, …) in this process behaves
 * exactly like an initializer constructed with `seed: deriveSeed(n, k)`; one `apply` takes one
 * seed, however many streams it fills from it, and initializers that draw nothing take none.
 * Seeded initializers never touch the stream. Until `setSeed` is called, `n` is drawn once from
 * `crypto.getRandomValues` at load time; {@link getSeed} tells it, so any run can be replayed
 * afterwards. A seed then keys Threefry-2x32-20 for the samplers (`samplers.ts`).
 */

/** Counter word reserved for seed derivation; sampler streams use small numbers. */
const DERIVE_STREAM = 0xffffffff;

let baseSeed = freshSeed();
let calls = 0;
/** True from `setSeed` until `clearSeed` (and inside `withSeed`): the stream was seeded on purpose. */
let seeded = false;
/**
 * Told whenever `seeded` changes (the tfjs built-ins' seeding patch, `builtins/seeded-builtins.ts`;
 * the training run's, `random/tfjs/`).
 */
const listeners: Array<(on: boolean) => void> = [];
const scratch = new Uint32Array(2);

function setSeeded(on: boolean): void {
  if (on === seeded) return;
  seeded = on;
  for (const listener of listeners) listener(on);
}

/**
 * Calls `listener(on)` whenever the stream becomes seeded (`setSeed`, entering `withSeed`) or
 * unseeded (`clearSeed`, leaving `withSeed` when nothing was seeded before), and at once if it is
 * seeded already. Internal: the layer above uses it to route tfjs's own initializers through the
 * stream.
 */
export function onSeeding(listener: (on: boolean) => void): void {
  listeners.push(listener);
  if (seeded) listener(true);
}

/** Whether the stream is seeded on purpose (after `setSeed`, inside `withSeed`), not from `crypto` at load. */
export function isSeeded(): boolean {
  return seeded;
}

function freshSeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[1] & 0x1fffff) * 4294967296 + words[0];
}

/**
 * Seed of the k-th unseeded draw after `setSeed(base)`: with key = (base mod 2^32, ⌊base/2^32⌋),
 * counter = (k mod 2^32, ⌊k/2^32⌋ XOR 0xffffffff) and (w0, w1) = Threefry-2x32-20(key, counter),
 * the seed is (w1 AND 0x1fffff)·2^32 + w0 — 53 bits. The counter's second word is ≥ 0xffe00000,
 * a range the samplers never use (they use stream + t·2^16 < 2^31).
 *
 * To reproduce one layer in isolation, read {@link getDrawCount} just before the layer is built
 * (k), then construct its initializer with `seed: deriveSeed(n, k)`.
 *
 * @example
 * ```ts
 * setSeed(42);
 * const a = new XavierUniformCustom().apply([3, 4]);            // 1st unseeded draw (k = 0)
 * const b = new XavierUniformCustom({seed: deriveSeed(42, 0)}).apply([3, 4]); // same values
 * ```
 */
export function deriveSeed(base: number, k: number): number {
  checkSeed('deriveSeed', 'base', base);
  checkSeed('deriveSeed', 'k', k);
  const [k0, k1] = seedToKey(base);
  const [c0, c1] = seedToKey(k);
  threefry2x32(k0, k1, c0, (c1 ^ DERIVE_STREAM) | 0, scratch, 0);
  return (scratch[1] & 0x1fffff) * 4294967296 + scratch[0];
}

/**
 * Resets the process-wide stream: every unseeded initializer applied afterwards draws
 * reproducibly, so one call at the top of a script makes all of its models bit-identical run
 * after run (`torch.manual_seed` semantics). This covers tfjs's own initializers too — the
 * defaults tfjs builds itself (`glorotUniform` for every Dense and Conv kernel, `orthogonal` for
 * LSTM/GRU recurrent kernels, Embedding's `randomUniform`, …) and instances from
 * `tf.initializers.*()` without a seed: until {@link clearSeed}, they draw their own distribution
 * from this stream instead of `Math.random` (docs/seeding.md, "tfjs's own initializers"). And it
 * covers the rest of a training run: tfjs's unseeded random ops (so Dropout, the noise layers and
 * recurrent dropout), `model.fit`'s per-epoch shuffle and `tf.data`'s `shuffle()` without a seed
 * take the stream's next seeds too, so two trainings after the same `setSeed` repeat bit for bit
 * (docs/seeding.md, "A training run"). The application's own `Math.random` is never replaced.
 *
 * @param seed integer in [0, 2^53 − 1]; 0 is a seed.
 * @example
 * ```ts
 * import {setSeed} from 'tfjs-initializers';
 * setSeed(1234);
 * const model = buildModel(); // same initial weights every run, tfjs defaults included
 * ```
 */
export function setSeed(seed: number): void {
  checkSeed('setSeed', 'seed', seed);
  baseSeed = seed;
  calls = 0;
  setSeeded(true);
}

/**
 * Undoes {@link setSeed}: tfjs's own initializers, random ops and shuffles draw from `Math.random`
 * (or the clock) again, exactly as without this package — every tfjs method `setSeed` replaced is
 * tfjs's own again, by identity — and the stream of this package's unseeded initializers restarts from a
 * fresh random seed taken from `crypto.getRandomValues` (as at load time; {@link getSeed} tells
 * it). Seeded initializers (`{seed: s}`) are unaffected either way.
 *
 * @example
 * ```ts
 * setSeed(7);
 * const a = buildModel();   // reproducible, tfjs defaults included
 * clearSeed();
 * const b = buildModel();   // fresh random weights; tfjs's built-ins use Math.random again
 * ```
 * @see `torch.seed()` (re-seeds PyTorch's generator non-deterministically).
 */
export function clearSeed(): void {
  baseSeed = freshSeed();
  calls = 0;
  setSeeded(false);
}

/** The seed the process-wide stream was last reset to (random at load time until `setSeed`). */
export function getSeed(): number {
  return baseSeed;
}

/** How many unseeded draws have been taken since the last `setSeed` (the next draw's k). */
export function getDrawCount(): number {
  return calls;
}

/**
 * Runs `build` on a stream of its own: inside it, the k-th unseeded `apply` uses
 * `deriveSeed(seed, k)`, exactly as after `setSeed(seed)` (tfjs's own initializers included);
 * afterwards the process-wide stream is
 * back where it was (same seed, same draw count), as if `build` had drawn nothing. So a model built
 * as `withSeed(7, () => buildModel())` gets the same weights whatever else the program draws
 * before, after or in between — also when several builds run concurrently inside `async`
 * functions or `Promise.all`, where the order in which `await`s resume decides which build takes
 * which seeds of the shared stream (docs/seeding.md, "Async code").
 *
 * `build` must be synchronous (building a tfjs model is): a returned promise is refused, because
 * the draws after its first `await` would come from whatever stream is current by then. Calls
 * nest; an exception from `build` propagates, with the stream restored.
 *
 * @param seed integer in [0, 2^53 − 1]; @param build the synchronous code to run.
 * @returns what `build` returns.
 * @example
 * ```ts
 * const [a, b] = await Promise.all(configs.map(async (c) => {
 *   const data = await fetchData(c);                                  // resumes in any order
 *   return withSeed(c.seed, () => buildModel(c, data));               // same weights every run
 * }));
 * ```
 * @see `torch.random.fork_rng` (a scoped generator state); `jax.random` (explicit keys).
 */
export function withSeed<T>(seed: number, build: () => T): T {
  checkSeed('withSeed', 'seed', seed);
  if (typeof build !== 'function') {
    throw new InitializerError(
      'withSeed',
      'build',
      `argument \`build\` must be a synchronous function. Received: ${describeValue(build)}`,
    );
  }
  const savedSeed = baseSeed;
  const savedCalls = calls;
  const savedSeeded = seeded;
  baseSeed = seed;
  calls = 0;
  setSeeded(true);
  try {
    const result = build();
    if (typeof (result as {then?: unknown} | null)?.then === 'function') {
      throw new InitializerError(
        'withSeed',
        'build',
        'argument `build` returned a promise; it must be ' +
          'synchronous, because draws after an `await` would come from ' +
          'whatever stream is current then. Await your data first, ' +
          'then build inside withSeed',
      );
    }
    return result;
  } finally {
    baseSeed = savedSeed;
    calls = savedCalls;
    setSeeded(savedSeeded);
  }
}

/** Returns `seed` if given, else the next seed of the process-wide stream (and advances it). */
export function resolveSeed(seed: number | null): number {
  if (seed !== null) return seed;
  return deriveSeed(baseSeed, calls++);
}

function checkSeed(owner: string, parameter: string, value: unknown): void {
  checkArgument(owner, parameter, value, requiredSeed());
}
