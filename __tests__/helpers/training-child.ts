/**
 * One headline training run (training-run.ts) after `setSeed(TRAINING_SEED)` in a fresh Node
 * process, on the backend named by the first argument (cpu or wasm), with tfjs-core + tfjs-layers
 * + tfjs-data; prints the run as JSON on its last line. Run by reproducible-training.slow.test.ts
 * as `node --import tsx __tests__/helpers/training-child.ts <backend>`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {setSeed} from '../../src';
import {TRAINING_SEED, trainingRun, type TrainingTfjs} from './training-run';

async function main(): Promise<void> {
  const backend = process.argv[2] ?? 'cpu';
  if (!(await tfc.setBackend(backend)) || tfc.getBackend() !== backend)
    throw new Error(`backend ${backend} did not start`);
  if (process.argv[3] !== 'unseeded') setSeed(TRAINING_SEED);
  const run = await trainingRun({...tfc, ...tfl, data: tfd} as unknown as TrainingTfjs);
  console.log(JSON.stringify({backend: tfc.getBackend(), ...run}));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
