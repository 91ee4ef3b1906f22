/**
 * Reproducible training (`npm run example:reproducible`): one `setSeed` makes a whole tfjs training
 * run repeat bit for bit — the initial weights, Dropout's masks, GaussianNoise, `model.fit`'s
 * per-epoch shuffle and a shuffling `tf.data` pipeline — like `torch.manual_seed` does for a
 * PyTorch CPU run.
 *
 * A small classifier of real MNIST digits (784 → Dense 64 relu → Dropout 0.3 → GaussianNoise 0.2 →
 * Dense 10 softmax) is trained three times after `setSeed(seed)`: twice in this process and once
 * in a child process. Each run fits 3 epochs with `model.fit` (shuffle at its default, 10%
 * validation split) and 2 more with `model.fitDataset` over `tf.data` shuffled without a seed. The
 * example prints the three loss curves side by side, whether the final weights are bit-identical
 * (with a SHA-256 of their bytes), and, for contrast, a run after `clearSeed()`.
 *
 * Flags: --backend cpu|wasm|tensorflow, --seed N (default 1234), --samples N (default 1000).
 */
import {spawnSync} from 'child_process';
import {createHash} from 'crypto';
import * as tf from '@tensorflow/tfjs';
import {clearSeed, getDrawCount, setSeed} from '../../src';
import {loadDigits} from '../shared/mnist-data';
import {printTable, start} from '../shared/setup';
import {tensors} from '../shared/train';

/** What one run gives: its loss per epoch, the validation loss of the fit epochs, and its weights. */
interface RunResult {
  loss: number[];
  valLoss: number[];
  /** SHA-256 of the final weights' float32 bytes, in layer order. */
  weights: string;
  /** How many draws the run took from the stream. */
  draws: number;
}

function buildModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({units: 64, activation: 'relu', inputShape: [784]}),
      tf.layers.dropout({rate: 0.3}),
      tf.layers.gaussianNoise({stddev: 0.2}),
      tf.layers.dense({units: 10, activation: 'softmax'}),
    ],
  });
  model.compile({optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy'});
  return model;
}

function digestOf(model: tf.LayersModel): string {
  const hash = createHash('sha256');
  for (const w of model.getWeights()) {
    const v = w.dataSync() as Float32Array;
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return hash.digest('hex');
}

/** One training run, exactly as a user writes it after `setSeed` (or without it). */
async function trainOnce(samples: number): Promise<RunResult> {
  const {train} = loadDigits();
  const {x, y} = tf.tidy(() => {
    const all = tensors(train);
    return {x: all.x.slice(0, samples), y: all.y.slice(0, samples)};
  });
  const model = buildModel();
  const fit = await model.fit(x, y, {epochs: 3, batchSize: 64, validationSplit: 0.1, verbose: 0});
  const dataset = tf.data
    .zip({xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y))})
    .shuffle(samples)
    .batch(64);
  const fitDataset = await model.fitDataset(dataset, {epochs: 2, verbose: 0});
  const result = {
    loss: [...fit.history.loss, ...fitDataset.history.loss].map(Number),
    valLoss: fit.history.val_loss.map(Number),
    weights: digestOf(model),
    draws: getDrawCount(),
  };
  tf.dispose([x, y]);
  model.dispose();
  return result;
}

/** The same run in a fresh Node process (this file with --child), read back from its last line. */
function inChild(args: {backend?: string; seed: string; samples: string}): RunResult {
  const flags = ['--child', '--seed', args.seed, '--samples', args.samples];
  if (args.backend !== undefined) flags.push('--backend', args.backend);
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...flags], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    throw new Error(`the child process failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(last) as RunResult;
}

async function main(): Promise<void> {
  const child = process.argv.includes('--child');
  if (child) process.argv.splice(process.argv.indexOf('--child'), 1);
  const args = await start({seed: '1234', samples: '1000'});
  const [seed, samples] = [Number(args.seed), Number(args.samples)];
  if (child) {
    setSeed(seed);
    console.log(JSON.stringify(await trainOnce(samples)));
    return;
  }
  console.log(
    `setSeed(${seed}); three runs of the same training script (${samples} MNIST digits)\n`,
  );
  setSeed(seed);
  const first = await trainOnce(samples);
  setSeed(seed);
  const second = await trainOnce(samples);
  const third = inChild({backend: args.backend, seed: args.seed, samples: args.samples});
  clearSeed();
  const unseeded = await trainOnce(samples);

  const runs = [first, second, third];
  printTable(
    ['epoch', 'run 1 (this process)', 'run 2 (this process)', 'run 3 (child process)'],
    first.loss.map((_, e) => [
      `${e + 1} (${e < 3 ? 'fit' : 'fitDataset'})`,
      ...runs.map((r) => r.loss[e].toFixed(8)),
    ]),
  );
  const same = (r: RunResult): string =>
    r.weights === first.weights && JSON.stringify(r.loss) === JSON.stringify(first.loss)
      ? 'bit-identical'
      : 'DIFFERENT';
  console.log(
    `\nvalidation loss (fit epochs): ${first.valLoss.map((v) => v.toFixed(8)).join(', ')}`,
  );
  console.log(`draws taken from the stream by each run: ${runs.map((r) => r.draws).join(', ')}`);
  console.log(`final weights, run 1: sha256 ${first.weights}`);
  console.log(`run 2 vs run 1: ${same(second)}`);
  console.log(`run 3 (child process) vs run 1: ${same(third)}`);
  console.log(
    `after clearSeed(), the same script: loss ${unseeded.loss.map((l) => l.toFixed(4)).join(' → ')}` +
      ` (weights ${unseeded.weights === first.weights ? 'the same' : 'differ'}: tfjs's own randomness again)`,
  );
  if (same(second) !== 'bit-identical' || same(third) !== 'bit-identical') process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
