import * as tfc from '@tensorflow/tfjs-core';
import {resolveSeed} from '../seed';
import {replace, restore} from './replace';
import {loadTfjsData} from './tfjs-data-node';

/**
 * `setSeed` for `tf.data`'s shuffling (docs/seeding.md, "A training run").
 *
 * `Dataset.shuffle(bufferSize, seed?, reshuffleEachIteration = true)` seeds one seedrandom `alea`
 * with `seed`, or with the clock (`tf.util.now()`) when `seed` is left out, and derives every
 * iteration's shuffle from it. So while the stream is seeded, `Dataset.prototype.shuffle` is
 * wrapped: a call without a seed (tfjs's test is `seed || now`) gets `String(deriveSeed(n, k))`,
 * the stream's next seed, and then runs tfjs's own shuffle — exactly
 * `shuffle(bufferSize, String(deriveSeed(n, k)), reshuffleEachIteration)`. One seed per
 * `shuffle()` call, taken when it is called (when the pipeline is built, not when it is iterated);
 * a call with its own seed, or one tfjs refuses (no `bufferSize`), takes none.
 *
 * tfjs-data is part of `@tensorflow/tfjs` but no dependency of this package. Its `Dataset` is
 * found where it can be without importing it: on the namespace this package gets for
 * `@tensorflow/tfjs-core` when a page's import map points that at the full tfjs bundle, on
 * `globalThis.tf` (the `<script>` build), and in Node by resolving `@tensorflow/tfjs-data`. Where
 * none has it (tfjs-core + tfjs-layers alone, or a bundler that keeps tfjs-data apart from
 * tfjs-core), there is nothing to patch; a `shuffle` given its own seed is reproducible anyway.
 */

type Shuffle = (this: unknown, bufferSize?: number, seed?: string, reshuffle?: boolean) => unknown;
type DatasetPrototype = {shuffle: Shuffle};

/** `data.Dataset.prototype` of a tfjs-data namespace, if `data` is one. */
function prototypeOf(data: unknown): DatasetPrototype | null {
  const Dataset: unknown = (data as {Dataset?: unknown} | null | undefined)?.Dataset;
  if (typeof Dataset !== 'function') return null;
  const proto = (Dataset as {prototype?: Partial<DatasetPrototype>}).prototype;
  return typeof proto?.shuffle === 'function' ? (proto as DatasetPrototype) : null;
}

/** Every distinct `Dataset.prototype` reachable now. */
export function datasetPrototypes(): DatasetPrototype[] {
  const candidates = [
    // Read by reflection: a bundler must not report a missing `data` export of tfjs-core.
    Reflect.get(tfc, 'data') as unknown,
    (globalThis as {tf?: {data?: unknown}}).tf?.data,
    loadTfjsData(),
  ];
  const found = new Set<DatasetPrototype>();
  for (const data of candidates) {
    const proto = prototypeOf(data);
    if (proto !== null) found.add(proto);
  }
  return [...found];
}

/** The prototypes patched by the last install. */
let patched: DatasetPrototype[] = [];

/** Starts routing `Dataset.shuffle` without a seed through the stream (where tfjs-data is found). */
export function installDataShuffle(): void {
  patched = datasetPrototypes();
  for (const proto of patched) {
    replace(
      proto,
      'shuffle',
      (original: Shuffle): Shuffle =>
        function shuffle(this: unknown, ...args: Parameters<Shuffle>) {
          const [bufferSize, seed] = args;
          if (!seed && bufferSize != null && bufferSize >= 0) args[1] = String(resolveSeed(null));
          return original.apply(this, args);
        },
    );
  }
}

/** Gives every patched `Dataset.prototype` its own `shuffle` back. */
export function uninstallDataShuffle(): void {
  for (const proto of patched) restore(proto, 'shuffle');
  patched = [];
}
