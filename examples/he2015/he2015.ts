/**
 * He et al. (2015), "Delving Deep into Rectifiers", Fig. 3: a 30-layer ReLU network trained from
 * Xavier (Glorot) initialization stalls, the same network from Kaiming (He) initialization learns.
 * Here: an MLP of 30 ReLU layers of 64 units + softmax on 8,000 real MNIST digits, SGD with
 * momentum 0.9 (as in the paper), biases 0, for a few epochs (`npm run example:he2015`).
 *
 * Before training, analyzeInitialization shows why: with Xavier (Var(W) = 2/(n_in + n_out) = 1/n
 * for square layers) each ReLU layer halves the signal's second moment, so after 30 layers the
 * activations and the back-propagated gradients are ~2^15 times smaller; Kaiming's 2/n keeps both level.
 *
 * Flags: --epochs N (default 5), --lr X (default 0.003), --backend tensorflow|wasm|cpu.
 */
import * as tf from '@tensorflow/tfjs';
import {KaimingNormal, XavierUniformCustom, ZeroBias, setSeed, type Initializer} from '../../src';
import {layerChart} from '../shared/charts';
import {analyzeInitialization} from '../../src/tools';
import {loadDigits} from '../shared/mnist-data';
import {fmt, printTable, start, writeSvg} from '../shared/setup';
import {smoothed, tensors, train, type Run} from '../shared/train';

const DEPTH = 30;
const WIDTH = 64;
let LR = 0.003;

function build(kernel: () => Initializer): tf.Sequential {
  const model = tf.sequential({name: 'relu30'});
  for (let i = 0; i < DEPTH; i++) {
    model.add(
      tf.layers.dense({
        units: WIDTH,
        activation: 'relu',
        kernelInitializer: kernel(),
        biasInitializer: new ZeroBias(),
        name: `relu${i + 1}`,
        ...(i === 0 ? {inputShape: [784]} : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: kernel(),
      biasInitializer: new ZeroBias(),
      name: 'softmax',
    }),
  );
  model.compile({
    optimizer: tf.train.momentum(LR, 0.9),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

const SCHEMES = [
  {name: 'Xavier (XavierUniformCustom)', make: () => new XavierUniformCustom()},
  {name: 'Kaiming (KaimingNormal, fanIn)', make: () => new KaimingNormal()},
];

async function main(): Promise<void> {
  const flags = await start({epochs: '5', lr: '0.003'});
  const epochs = Number(flags.epochs);
  LR = Number(flags.lr);
  const {train: trainSet, test} = loadDigits();
  const {x, y} = tensors(trainSet);
  const {x: xt, y: yt} = tensors(test);
  console.log(
    `data: ${trainSet.n} training and ${test.n} test ` +
      `digits; ${DEPTH} ReLU layers of ${WIDTH} units + softmax; ` +
      `SGD ${LR}, momentum 0.9, batch 64\n`,
  );

  const runs: Array<{name: string; run: Run}> = [];
  const signal: string[][] = [];
  for (const scheme of SCHEMES) {
    setSeed(2015);
    const model = build(scheme.make);
    const probe = x.slice([0, 0], [256, 784]);
    const report = analyzeInitialization(model, probe, {labels: y.slice([0, 0], [256, 10])});
    const at = (i: number) => report.layers[i - 1];
    signal.push([
      scheme.name,
      ...[1, 10, 20, 30].map((i) => fmt(at(i).activationStd)),
      ...[1, 10, 20, 30].map((i) => fmt(at(i).gradientStd)),
    ]);
    for (const f of report.findings.filter((f) => f.kind.startsWith('vanishing')))
      console.log(`${scheme.name} at init: ${f.message}`);
    runs.push({
      name: scheme.name,
      run: await train(model, {x, y, xt, yt}, epochs, 64, scheme.name),
    });
    model.dispose();
    probe.dispose();
  }

  console.log(
    '\nAt initialization (256 digits): std of the activations ' +
      'and of the back-propagated gradients at ReLU layers ' +
      '1, 10, 20, 30',
  );
  printTable(
    ['init', 'act 1', 'act 10', 'act 20', 'act 30', 'grad 1', 'grad 10', 'grad 20', 'grad 30'],
    signal,
  );
  console.log('\nTraining: loss / test accuracy after each epoch');
  printTable(
    ['init', ...Array.from({length: epochs}, (_, e) => `epoch ${e + 1}`)],
    runs.map(({name, run}) => [
      name,
      ...run.epochs.map((r) => `${r.loss.toFixed(3)} / ${(100 * r.accuracy).toFixed(1)}%`),
    ]),
  );
  await writeSvg(
    'he2015-loss',
    layerChart(
      runs.flatMap(({name, run}) => smoothed(run, name, 25)),
      {
        title: '30-layer ReLU MLP on MNIST digits: training loss (mean of 25 batches)',
        yTitle: 'cross-entropy (log scale)',
      },
    ),
  );
  tf.dispose([x, y, xt, yt]);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
