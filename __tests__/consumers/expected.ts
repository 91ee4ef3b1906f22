/**
 * What every app must compute, computed here from the source with the repository's tfjs: the
 * weights of fixtures/scenario.cjs's model after `setSeed(7)`. The generator draws in JavaScript,
 * so every tfjs version and backend must give these bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import * as lib from '../../src';

// The consumer apps' own CommonJS scenario, which has no type declarations to import with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {build} = require('./fixtures/scenario.cjs') as {
  build: (t: typeof tf, l: typeof lib) => tf.Sequential;
};

export function expectedWeights(): number[][] {
  lib.setSeed(7);
  const model = build(tf, lib);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return weights;
}

/**
 * What fixtures/reproducible.cjs must report in every app (issue 19): the seeded run repeats,
 * another seed and two unseeded runs differ, and `clearSeed` leaves tfjs's methods and Math.random
 * as they were (by identity) after replacing exactly these while seeded.
 */
export const REPRODUCIBLE = {
  sameInProcess: true,
  otherSeedDiffers: true,
  unseededDiffer: true,
  patchedWhileSeeded: [
    'engine.startScope',
    'engine.endScope',
    'engine.makeTensor',
    'LayersModel.prototype.fitLoop',
    'Dataset.prototype.shuffle',
  ],
  patchedAfterClear: [],
};
