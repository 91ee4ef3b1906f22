/**
 * The CLI on published model folders as users meet them (issue 18): shards missing from a folder,
 * trained versus fresh weights, names of unnamed nested models, a layer that cannot be
 * differentiated, progress on a terminal, the batch a time budget picks. Small models only.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {SparseInit} from '../../src';
import {EXIT, type CliIo} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';
import {disposeModel} from '../../src/weights/dispose-model';

const root = path.resolve(__dirname, '..', '..');
const corpus = (name: string): string => path.join(root, '__tests__', 'fixtures', 'corpus', name);
const fixture = (name: string): string => path.join(root, '__tests__', 'fixtures', 'cli', name);

const cli = (args: string[], extra: Partial<CliIo> = {}) =>
  runCliCaptured(['--backend', 'cpu', ...args], extra);

/** A layer whose forward pass works and whose backward pass cannot run (tfjs has no TopK gradient). */
class TopOne extends tfl.layers.Layer {
  static className = 'TopOne';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.topk(x, x.shape[x.shape.length - 1] as number).values;
  }
}
tf.serialization.registerClass(TopOne);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-real-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

describe('a published folder without its weights files', () => {
  // tfjs-examples' Balance model: its manifest names ./model.weights.bin, which is not there.
  const folder = corpus('tfjs-examples-balance');
  const refusal =
    `tfjs-init: ${folder}/model.json cannot be loaded safely (its manifest names 1 weights file ` +
    'that is not there; --allow-missing-weights reads the folder as its topology, with fresh ' +
    `weights): fileIO: weights file "./model.weights.bin" in ${folder} ` +
    '(weightsManifest[0].paths[0]): not found';
  const note =
    'names 1 weights file that is not in its folder (./model.weights.bin): using the ' +
    "topology, so every layer's initializers run (fresh weights)";
  const commands = (out: string): string[][] => [
    ['inspect', folder],
    ['doctor', folder, '--out', path.join(tmp, `${out}.html`)],
    ['reinit', folder, '--out', path.join(tmp, `${out}-reinit`)],
  ];

  it('inspect, doctor and reinit all refuse it alike, naming the flag that reads the topology', async () => {
    for (const args of commands('refused')) {
      const r = await cli(args);
      expect(r.code).toBe(EXIT.malformed);
      expect(r.err.split('\n').pop()).toBe(refusal);
    }
    expect(fs.existsSync(path.join(tmp, 'refused.html'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'refused-reinit'))).toBe(false);
  });

  it('with --allow-missing-weights all three use the topology, and say so in the same words', async () => {
    for (const args of commands('allowed')) {
      const r = await cli(['--allow-missing-weights', ...args]);
      expect(r.code).toBe(EXIT.ok);
      expect(r.err).toContain(note);
    }
    const doctor = await cli([
      '--allow-missing-weights',
      'doctor',
      folder,
      '--out',
      path.join(tmp, 'balance.html'),
    ]);
    expect(doctor.out.split('\n')[0]).toBe(
      "weights: fresh, drawn from each layer's initializer config with seed 0 (the weights files " +
        'are missing); the findings describe this initialization',
    );
    expect(fs.existsSync(path.join(tmp, 'allowed-reinit', 'model.json'))).toBe(true);
  });
});

describe('what was analysed', () => {
  it('weights read from the files are trained, and --fresh redraws them', async () => {
    const trained = await cli([
      'doctor',
      fixture('zero-kernel'),
      '--out',
      path.join(tmp, 'z.html'),
    ]);
    expect(trained.out.split('\n')[0]).toMatch(
      /^weights: trained, read from the weights files of /,
    );
    expect(trained.out).toContain(
      '- trained weights: all 16 units of hidden1 are identical: symmetry never breaks',
    );
    const fresh = await cli([
      'doctor',
      fixture('zero-kernel'),
      '--fresh',
      '--out',
      path.join(tmp, 'zf.html'),
    ]);
    expect(fresh.out.split('\n')[0]).toMatch(
      /^weights: fresh, drawn from each layer's initializer/,
    );
    expect(fresh.err).toContain('are not read (fresh weights asked for)');
  });
});

it('unnamed nested models get the same names in inspect and doctor', async () => {
  const inner = tfl.sequential({
    layers: [tfl.layers.dense({units: 4, inputShape: [6], name: 'head'})],
  });
  const outer = tfl.sequential({
    layers: [tfl.layers.dense({units: 6, inputShape: [5], name: 'body'}), inner],
  });
  const json = outer.toJSON(null, false) as unknown as {
    config: {name?: string; layers: Array<{config: {name?: string}}>};
  };
  delete json.config.name;
  delete json.config.layers[1].config.name;
  const dir = path.join(tmp, 'nested');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({modelTopology: json}));
  outer.dispose();
  // Other models built in this process move tfjs's name counter; the names must not depend on it.
  tfl.sequential({layers: [tfl.layers.dense({units: 1, inputShape: [1]})]}).dispose();
  const inspect = JSON.parse((await cli(['inspect', dir, '--json'])).out) as {
    entries: Array<{layer: string}>;
  };
  const doctor = JSON.parse(
    (await cli(['doctor', dir, '--json', '--out', path.join(tmp, 'n.html')])).out,
  ) as {model: string; layers: Array<{name: string}>};
  expect([...new Set(inspect.entries.map((e) => e.layer))]).toEqual(['body', 'sequential_2/head']);
  expect(doctor.layers.map((l) => l.name)).toEqual(['body', 'sequential_2/head']);
  expect(doctor.model).toBe('sequential_1');
});

it('a Sequential nested in a Sequential: doctor and reinit leave no tensor behind', async () => {
  // tfjs-layers' dispose() keeps such a nested model's weights alive (a Teachable Machine export
  // kept its 10 MB head on every doctor run); the commands free them.
  const outer = tfl.sequential({
    layers: [
      tfl.layers.dense({units: 6, inputShape: [5], name: 'body'}),
      tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [6], name: 'head'})]}),
    ],
  });
  const dir = path.join(tmp, 'nested-leak');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({modelTopology: outer.toJSON(null, false)}),
  );
  disposeModel(outer);
  const before = tf.memory().numTensors;
  const doctor = await cli(['doctor', dir, '--batch', '8', '--out', path.join(tmp, 'leak.html')]);
  expect(doctor.code).toBe(EXIT.ok);
  expect(tf.memory().numTensors).toBe(before);
  const reinit = await cli(['reinit', dir, '--seed', '1', '--out', path.join(tmp, 'leak-out')]);
  expect(reinit.code).toBe(EXIT.ok);
  expect(tf.memory().numTensors).toBe(before);
});

it('a layer whose backward pass fails is named within one example, before the full run', async () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({units: 4, inputShape: [3], name: 'dense_in'}),
      new TopOne({name: 'top_one'}),
      tfl.layers.dense({units: 2, name: 'dense_out'}),
    ],
  });
  const dir = path.join(tmp, 'topk');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({modelTopology: model.toJSON(null, false)}),
  );
  model.dispose();
  const r = await cli(['doctor', dir, '--out', path.join(tmp, 'topk.html')]);
  expect(r.code).toBe(EXIT.failed);
  expect(r.err).toMatch(
    /^tfjs-init: a gradient step on one example fails: layer 'top_one' \(TopOne\) fails in the backward pass: /m,
  );
  expect(fs.existsSync(path.join(tmp, 'topk.html'))).toBe(false);
});

it('on a terminal, progress lines on stderr, erased at the end; the batch the time budget picks is said', async () => {
  const lines: Array<string | null> = [];
  const r = await cli(
    [
      '--allow-missing-weights',
      'doctor',
      corpus('tfjs-layers-mlp'),
      '--out',
      path.join(tmp, 'mlp.html'),
    ],
    {
      progress: (line) => lines.push(line),
    },
  );
  expect(r.code).toBe(EXIT.ok);
  expect(lines).toContain('checking a gradient step on one example: forward 1/5 layers');
  expect(
    lines.some((l) => l !== null && /^analysing a batch of \d+: backward \d+\/5 layers$/.test(l)),
  ).toBe(true);
  expect(lines[lines.length - 1]).toBeNull();
  expect(r.err).toMatch(
    /note: a batch of 32 \(estimated \d+ s on cpu for a 60 s budget; --batch or --time-budget to change it\)/,
  );
  const small = await cli([
    '--allow-missing-weights',
    'doctor',
    corpus('tfjs-layers-mlp'),
    '--batch',
    '3',
    '--out',
    path.join(tmp, 'm3.html'),
  ]);
  expect(small.out).toContain('batch of 3');
  expect(small.err).not.toContain('budget');
});

it('inspect flags a kernel its initializer draws all zero (SparseInit 0.9 over 27 rows)', async () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        inputShape: [8, 8, 3],
        kernelInitializer: new SparseInit({sparsity: 0.9}) as never,
        name: 'sparse',
      }),
    ],
  });
  const dir = path.join(tmp, 'sparse');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({modelTopology: model.toJSON(null, false)}),
  );
  const kernel = model.layers[0].getWeights()[0];
  expect(Array.from(kernel.dataSync()).every((v) => v === 0)).toBe(true);
  model.dispose();
  const r = await cli(['inspect', dir]);
  expect(r.code).toBe(EXIT.problems);
  expect(r.out).toContain(
    'warning: sparse: kernel starts constant: SparseInit (sparsity=0.9) draws every ' +
      'value of a [3, 3, 3, 8] kernel equal (variance 0), so every unit computes the same thing ' +
      'and symmetry never breaks',
  );
});

it.each([['cpu'], ['wasm']])(
  'an input too small for the model is refused naming the layer, before any kernel runs (%s)',
  async (backend) => {
    const dir = path.join(tmp, `small-input-${backend}`);
    fs.mkdirSync(dir);
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({filters: 4, kernelSize: 5, inputShape: [null, null, 1], name: 'conv'}),
        tfl.layers.maxPooling2d({poolSize: 3, name: 'pool'}),
        tfl.layers.globalAveragePooling2d({name: 'gap'}),
        tfl.layers.dense({units: 2, name: 'out'}),
      ],
    });
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({modelTopology: model.toJSON(null, false), format: 'layers-model'}),
    );
    model.dispose();
    // Two 6×6 images: the 5×5 convolution leaves 2×2, which a 3×3 pooling cannot take. On wasm
    // that pooling wrote outside its memory and ended the process.
    const input = path.join(dir, 'input.json');
    fs.writeFileSync(input, JSON.stringify([0, 1].map(() => Array(6).fill(Array(6).fill([0.5])))));
    const before = tf.getBackend();
    const r = await cli([
      '--backend',
      backend,
      'doctor',
      dir,
      '--input',
      input,
      '--out',
      path.join(dir, 'r.html'),
    ]);
    await tf.setBackend(before);
    expect(r.code).toBe(EXIT.failed);
    expect(r.err).toContain(
      "layer 'pool' (MaxPooling2D) would output shape [1, 0, 0, 4] for input shape [1, 2, 2, 4]: " +
        'the input is too small for this model',
    );
  },
);
