/**
 * What `setSeed` guarantees when models are built inside `async` functions and `Promise.all`
 * (docs/seeding.md, "Async code"): JavaScript runs one thing at a time, so draws happen in the
 * order the builds run; builds that `await` something first resume in the order those awaits
 * finish, which decides which build takes which seeds of the shared stream. `withSeed` makes a
 * build independent of that order.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  deriveSeed,
  getDrawCount,
  getSeed,
  setSeed,
  withSeed,
  XavierUniformCustom,
} from '../../src';

/** A two-layer model whose kernels draw from the process-wide stream (unseeded initializers). */
function buildModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({units: 8, inputShape: [4], kernelInitializer: 'XavierUniformCustom'}),
      tfl.layers.dense({units: 3, kernelInitializer: 'XavierUniformCustom'}),
    ],
  });
}

/** The model's kernels' values, then the model is disposed. */
function kernels(model: tfl.LayersModel): number[][] {
  const values = model.layers.map((l) => Array.from(l.getWeights()[0].dataSync()));
  model.dispose();
  return values;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Two builders run concurrently; each waits `waits[i]` ms first (standing in for I/O), then builds. */
async function concurrentBuilds(
  waits: [number, number],
  scoped: boolean,
): Promise<{a: number[][]; b: number[][]}> {
  setSeed(2024);
  const builder = async (ms: number, seed: number): Promise<number[][]> => {
    await delay(ms);
    return kernels(scoped ? withSeed(seed, buildModel) : buildModel());
  };
  const [a, b] = await Promise.all([builder(waits[0], 1), builder(waits[1], 2)]);
  return {a, b};
}

describe('setSeed under async code', () => {
  it(
    'builds inside async functions draw in call order: ' +
      'Promise.all of builders that build before any await ' +
      'repeats exactly',
    async () => {
      const run = async (): Promise<number[][][]> => {
        setSeed(99);
        const build = async (): Promise<number[][]> => kernels(buildModel());
        return Promise.all([build(), build(), build()]);
      };
      const first = await run();
      const second = await run();
      expect(second).toEqual(first);
      // ...and equal to building the three models one after another, synchronously.
      setSeed(99);
      expect([kernels(buildModel()), kernels(buildModel()), kernels(buildModel())]).toEqual(first);
    },
  );

  it(
    'the k-th unseeded draw of the whole program uses ' +
      'deriveSeed(n, k), whichever async function makes it',
    async () => {
      setSeed(5);
      const draws: Array<{k: number; values: Float32Array}> = [];
      const drawer = async (ticks: number): Promise<void> => {
        for (let t = 0; t < ticks; t++) await Promise.resolve();
        const k = getDrawCount();
        const t = new XavierUniformCustom().apply([4, 4]);
        draws.push({k, values: t.dataSync() as Float32Array});
        t.dispose();
      };
      await Promise.all([drawer(3), drawer(0), drawer(1)]);
      expect(draws.map((d) => d.k)).toEqual([0, 1, 2]);
      for (const {k, values} of draws) {
        const same = new XavierUniformCustom({seed: deriveSeed(5, k)}).apply([4, 4]);
        expect(Array.from(values)).toEqual(Array.from(same.dataSync()));
        same.dispose();
      }
    },
  );

  it(
    'hazard: when awaits finish in a different order, the same ' +
      'setSeed gives each model different weights',
    async () => {
      const fastA = await concurrentBuilds([1, 30], false); // a resumes first: draws 0, 1
      const fastB = await concurrentBuilds([30, 1], false); // b resumes first: a now draws 2, 3
      expect(fastB.a).not.toEqual(fastA.a);
      expect(fastB.a).toEqual(fastA.b); // a got exactly what b got in the other run: the seeds moved with the order
      expect(fastB.b).toEqual(fastA.a);
    },
  );

  it('withSeed: each build gets the same weights whatever order the awaits finish in', async () => {
    const fastA = await concurrentBuilds([1, 30], true);
    const fastB = await concurrentBuilds([30, 1], true);
    expect(fastB).toEqual(fastA);
    expect(fastA.a).not.toEqual(fastA.b);
    // A scoped build is the build that follows setSeed(seed).
    setSeed(1);
    expect(fastA.a).toEqual(kernels(buildModel()));
  });

  it('withSeed leaves the process-wide stream where it was and restores it after an exception', () => {
    setSeed(31);
    const t = new XavierUniformCustom().apply([2, 2]);
    t.dispose();
    kernels(withSeed(8, buildModel));
    expect([getSeed(), getDrawCount()]).toEqual([31, 1]);
    expect(() =>
      withSeed(8, () => {
        tf.dispose(new XavierUniformCustom().apply([2, 2]));
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect([getSeed(), getDrawCount()]).toEqual([31, 1]);
    // nested scopes each restore their parent's stream
    const outer = withSeed(3, () => {
      const inner = withSeed(4, () => getDrawCount());
      return [getSeed(), getDrawCount(), inner];
    });
    expect(outer).toEqual([3, 0, 0]);
  });

  it(
    'withSeed refuses an async build (its draws after an await ' +
      'would escape the scope) and bad arguments',
    async () => {
      const pending = delay(1);
      expect(() => withSeed(1, () => pending)).toThrow(InitializerError);
      expect(() => withSeed(1, async () => 0)).toThrow(
        'withSeed: argument `build` returned a promise; it must be ' +
          'synchronous, because draws after an `await` would come from ' +
          'whatever stream is current then. Await your data first, ' +
          'then build inside withSeed',
      );
      await pending;
      expect(() => withSeed(-1, () => 0)).toThrow(
        'withSeed: argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=-1',
      );
      expect(() => withSeed(1, 'build' as never)).toThrow(
        'withSeed: argument `build` must be a synchronous function. Received: "build"',
      );
    },
  );
});
