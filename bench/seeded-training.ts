/**
 * `npm run bench:seeded-training [-- --runs 9 --backend cpu|wasm]`
 *
 * What routing a training run's randomness through the stream costs (docs/seeding.md, "A training
 * run"), measured without a seed and after `setSeed`, alternating in one process:
 * - per op: the engine's `startScope`/`endScope` are wrapped while seeded, and every tfjs op opens
 *   a scope — 20,000 small `tf.add` calls inside `tf.tidy`;
 * - per training: an MLP with Dropout and GaussianNoise on 1,000 random 784-pixel rows, 2 epochs
 *   of `model.fit` (shuffled, 10% validation) and 1 of `fitDataset` over a shuffled `tf.data`
 *   pipeline, batch 64.
 * Times are the process's CPU time (user + system), steadier than wall time on a shared machine.
 * Prints the medians and the ratios seeded/unseeded. A benchmark, not a test: nothing is asserted.
 */
import {parseArgs} from 'util';
import * as tf from '@tensorflow/tfjs';
import {clearSeed, getDrawCount, setSeed} from '../src';
import {selectBackend, type BackendName} from '../src/node';

const SAMPLES = 1000;
const OPS = 20000;

/** CPU time (user + system) of this process since `from`, in milliseconds. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

async function train(x: tf.Tensor2D, y: tf.Tensor2D): Promise<number> {
  const t0 = process.cpuUsage();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({units: 128, activation: 'relu', inputShape: [784]}),
      tf.layers.dropout({rate: 0.3}),
      tf.layers.gaussianNoise({stddev: 0.2}),
      tf.layers.dense({units: 10, activation: 'softmax'}),
    ],
  });
  model.compile({optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy'});
  await model.fit(x, y, {epochs: 2, batchSize: 64, validationSplit: 0.1, verbose: 0});
  const [xs, ys] = [tf.unstack(x), tf.unstack(y)];
  const dataset = tf.data
    .zip({xs: tf.data.array(xs), ys: tf.data.array(ys)})
    .shuffle(SAMPLES)
    .batch(64);
  await model.fitDataset(dataset, {epochs: 1, verbose: 0});
  tf.dispose([...xs, ...ys]);
  model.dispose();
  return cpuMs(t0);
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** CPU nanoseconds per small op (an add of two 4-element tensors, in a tidy). */
function perOp(a: tf.Tensor, b: tf.Tensor): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < OPS; i++) tf.tidy(() => tf.add(a, b));
  return (cpuMs(t0) * 1e6) / OPS;
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {runs: {type: 'string', default: '9'}, backend: {type: 'string'}},
  });
  tf.enableProdMode();
  const {note} = await selectBackend(
    values.backend === undefined ? {} : {force: values.backend as BackendName},
  );
  console.log(note);
  const x = tf.randomUniform([SAMPLES, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
  const y = tf.oneHot(tf.randomUniformInt([SAMPLES], 0, 10, 2), 10).toFloat() as tf.Tensor2D;
  const [a, b] = [tf.ones([4]), tf.ones([4])];
  for (let i = 0; i < 10; i++) perOp(a, b);
  await train(x, y); // warm-up: kernels, first allocations
  const times = {
    plainOp: [] as number[],
    seededOp: [] as number[],
    plain: [] as number[],
    seeded: [] as number[],
  };
  let draws = 0;
  for (let r = 0; r < Number(values.runs); r++) {
    clearSeed();
    times.plainOp.push(perOp(a, b));
    times.plain.push(await train(x, y));
    setSeed(r);
    times.seededOp.push(perOp(a, b));
    times.seeded.push(await train(x, y));
    draws = getDrawCount();
  }
  clearSeed();
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  console.log(
    `| backend | runs | measure | unseeded (median) | after setSeed (median) | ratio seeded/unseeded |`,
  );
  console.log('|---|---:|---|---:|---:|---:|');
  console.log(
    `| ${tf.getBackend()} | ${values.runs} | one small op | ${m.plainOp.toFixed(0)} ns | ` +
      `${m.seededOp.toFixed(0)} ns | ${(m.seededOp / m.plainOp).toFixed(3)} |`,
  );
  console.log(
    `| ${tf.getBackend()} | ${values.runs} | training run (${draws} draws) | ${m.plain.toFixed(0)} ms | ` +
      `${m.seeded.toFixed(0)} ms | ${(m.seeded / m.plain).toFixed(3)} |`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
