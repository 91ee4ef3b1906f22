/**
 * Issue 19's headline: after `setSeed(n)` a whole training run repeats bit for bit — a net with
 * Dense, Dropout, GaussianNoise and an LSTM with dropout, `fit` with its default shuffle and
 * `validationSplit` for 3 epochs, then `fitDataset` over a `tf.data` pipeline that shuffles without
 * a seed — with tfjs-core + tfjs-layers (+ tfjs-data) only, on the CPU backend. The same run on
 * wasm and in two processes: reproducible-training.slow.test.ts; in Chromium (cpu, wasm, webgl):
 * __tests__/browser/reproducible.test.ts; from the packed tarball on the oldest and newest tfjs:
 * the consumer tier.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import {clearSeed, setSeed} from '../../src';
import {trainingPatches} from '../../src/random/tfjs';
import {TRAINING_SEED, trainingRun, type TrainingTfjs} from '../helpers/training-run';

const tf = {...tfc, ...tfl, data: tfd} as unknown as TrainingTfjs;

afterEach(() => clearSeed());

describe('a training run after setSeed (cpu backend)', () => {
  it('repeats bit for bit: per-epoch losses of fit (train and validation) and fitDataset, final weights', async () => {
    setSeed(TRAINING_SEED);
    const a = await trainingRun(tf);
    setSeed(TRAINING_SEED);
    const b = await trainingRun(tf);
    expect(a.fitLoss).toHaveLength(3);
    expect(a.datasetLoss).toHaveLength(3);
    expect(b).toEqual(a);
    // A different seed is a different run, from the first epoch on.
    setSeed(TRAINING_SEED + 1);
    const c = await trainingRun(tf, {dataset: false});
    expect(c.fitLoss[0]).not.toBe(a.fitLoss[0]);
    expect(c.weightBits).not.toEqual(a.weightBits);
  });

  it("after clearSeed two runs differ again and nothing of the package's is left in tfjs", async () => {
    const math = Math.random;
    setSeed(TRAINING_SEED);
    expect(trainingPatches().length).toBeGreaterThanOrEqual(4);
    clearSeed();
    expect(trainingPatches()).toEqual([]);
    expect(Math.random).toBe(math);
    const [a, b] = [
      await trainingRun(tf, {dataset: false}),
      await trainingRun(tf, {dataset: false}),
    ];
    expect(b.fitLoss).not.toEqual(a.fitLoss);
    expect(b.weightBits).not.toEqual(a.weightBits);
  });
});
