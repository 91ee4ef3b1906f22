/**
 * Mishkin & Matas (2016), "All you need is a good init": LSUV makes a deep network trainable that a
 * plain initialization does not (`npm run example:lsuv`).
 *
 * A 20-layer tanh MLP (64 units per layer) + softmax on 8,000 real MNIST digits, SGD with momentum,
 * biases 0. "Plain" init: every kernel N(0, 0.01²) — the fixed-scale Gaussian of early conv nets,
 * which in this network shrinks the signal ~12× per layer. Then the same network after
 * `lsuv(model, 256 digits)`: orthogonal kernels, each rescaled until its pre-activation has
 * variance 1 on the batch. Prints the LSUV report and training curves; writes docs/examples/lsuv-*.svg.
 *
 * Flags: --epochs N (default 4), --lr X (default 0.01), --backend tensorflow|wasm|cpu.
 */
import * as tf from '@tensorflow/tfjs';
import {ZeroBias, setSeed} from '../../src';
import {layerChart} from '../shared/charts';
import {analyzeInitialization, lsuv} from '../../src/tools';
import {loadDigits} from '../shared/mnist-data';
import {fmt, printTable, start, writeSvg} from '../shared/setup';
import {smoothed, tensors, train, type Run} from '../shared/train';

const DEPTH = 20;
const WIDTH = 64;

function build(lr: number): tf.Sequential {
  const model = tf.sequential({name: 'tanh20'});
  for (let i = 0; i < DEPTH; i++) {
    model.add(
      tf.layers.dense({
        units: WIDTH,
        activation: 'tanh',
        name: `tanh${i + 1}`,
        biasInitializer: new ZeroBias(),
        kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.01, seed: 100 + i}),
        ...(i === 0 ? {inputShape: [784]} : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      name: 'softmax',
      biasInitializer: new ZeroBias(),
      kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.01, seed: 99}),
    }),
  );
  model.compile({
    optimizer: tf.train.momentum(lr, 0.9),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

async function main(): Promise<void> {
  const flags = await start({epochs: '4', lr: '0.01'});
  const epochs = Number(flags.epochs);
  const lr = Number(flags.lr);
  const {train: trainSet, test} = loadDigits();
  const {x, y} = tensors(trainSet);
  const {x: xt, y: yt} = tensors(test);
  const batch = x.slice([0, 0], [256, 784]);
  console.log(
    `data: ${trainSet.n} training and ${test.n} test ` +
      `digits; ${DEPTH} tanh layers of ${WIDTH} units + softmax; ` +
      `SGD ${lr}, momentum 0.9, batch 64\n`,
  );

  const runs: Array<{name: string; run: Run}> = [];
  const stds: string[][] = [];
  for (const name of ['plain N(0, 0.01²)', 'plain + LSUV']) {
    setSeed(2016);
    const model = build(lr);
    if (name.endsWith('LSUV')) {
      const t0 = Date.now();
      const report = await lsuv(model, batch, {seed: 2016});
      console.log(
        `LSUV on 256 digits (${Date.now() - t0} ms): per layer, ` +
          `rescalings and the pre-activation variance before and after`,
      );
      printTable(
        ['layer', 'iterations', 'variance before', 'variance after'],
        report.map((r) => [r.layer, String(r.iterations), fmt(r.initialVariance), fmt(r.variance)]),
      );
      console.log('');
    }
    const diag = analyzeInitialization(model, batch);
    stds.push([
      name,
      ...[1, 5, 10, 15, 20].map((i) => fmt(diag.layers[i - 1].activationStd)),
      fmt(diag.layers[0].gradientStd),
    ]);
    for (const f of diag.findings) console.log(`${name} before training: ${f.message}`);
    runs.push({name, run: await train(model, {x, y, xt, yt}, epochs, 64, name)});
    model.dispose();
  }

  console.log(
    '\nBefore training (256 digits): activation std at tanh ' +
      'layers 1, 5, 10, 15, 20, and the back-propagated gradient ' +
      'std at layer 1',
  );
  printTable(['init', 'act 1', 'act 5', 'act 10', 'act 15', 'act 20', 'grad 1'], stds);
  console.log('\nTraining: loss / test accuracy after each epoch');
  printTable(
    ['init', ...Array.from({length: epochs}, (_, e) => `epoch ${e + 1}`)],
    runs.map(({name, run}) => [
      name,
      ...run.epochs.map((r) => `${r.loss.toFixed(3)} / ${(100 * r.accuracy).toFixed(1)}%`),
    ]),
  );
  await writeSvg(
    'lsuv-loss',
    layerChart(
      runs.flatMap(({name, run}) => smoothed(run, name, 25)),
      {
        title: '20-layer tanh MLP on MNIST digits: training loss (mean of 25 batches)',
        yTitle: 'cross-entropy (log scale)',
      },
    ),
  );
  tf.dispose([x, y, xt, yt, batch]);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
