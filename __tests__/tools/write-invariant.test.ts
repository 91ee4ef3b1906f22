/**
 * The invariant every writer keeps (docs/model-tools.md, "What every write guarantees"): after a
 * write, a weight whose saved config carries a seed — or whose initializer draws nothing random —
 * is reproduced bit for bit by a load without weights; every other drawn weight's config carries no
 * seed, and the writer says its value is not reproducible. Checked for reinitialize,
 * applyInitializers and lsuv × {seeded, unseeded} × {input loaded with weights, topology only}, on a
 * model with a layer for every registered initializer (seeded and unseeded) and every tfjs
 * built-in; the CLI's reinit is checked in __tests__/cli/reinit-agreement.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {BaseInitializer, registeredNames, xavierUniform_} from '../../src';
import {applyInitializers, lsuv, reinitialize, type InitializerRule} from '../../src/tools';
import {fileIO} from '../../src/node';
import {
  caseLayer,
  inputShapeFor,
  type InitializerCase,
  type LayerKind,
} from '../helpers/case-model';
import {registeredClass} from '../helpers/initializer-cases';
import {expectAgreement, valuesByName} from '../helpers/agreement';

type Json = Record<string, unknown>;

/** A kernel shape per layer kind, square in the last two axes. */
const KINDS: ReadonlyArray<{kind: LayerKind; layerShape: number[]}> = [
  {kind: 'dense', layerShape: [16, 16]},
  {kind: 'conv2d', layerShape: [3, 3, 4, 4]},
  {kind: 'conv1d', layerShape: [3, 4, 4]},
  {kind: 'conv3d', layerShape: [3, 3, 3, 4, 4]},
  {kind: 'stft', layerShape: [8, 1, 5]},
];

/** tfjs's own initializers, as a layer option names them: unseeded and seeded. */
const TFJS: ReadonlyArray<string | {className: string; config: Json}> = [
  'zeros',
  'ones',
  {className: 'Constant', config: {value: 0.25}},
  'identity',
  'randomUniform',
  {className: 'RandomUniform', config: {seed: 11}},
  'randomNormal',
  {className: 'RandomNormal', config: {seed: 12}},
  'truncatedNormal',
  {className: 'TruncatedNormal', config: {seed: 13}},
  'varianceScaling',
  {className: 'VarianceScaling', config: {seed: 14, mode: 'fanAvg', distribution: 'uniform'}},
  'glorotUniform',
  'glorotNormal',
  {className: 'GlorotNormal', config: {seed: 16}},
  'heUniform',
  'heNormal',
  'leCunUniform',
  'leCunNormal',
  'orthogonal',
  {className: 'Orthogonal', config: {seed: 15}},
];

/** Our classes that also get an unseeded branch. */
const UNSEEDED = ['XavierUniformCustom', 'OrthogonalInitializer', 'SparseInit', 'KaimingNormal'];

/** The first kind whose kernel the class can fill (checked without drawing). */
function kindFor(init: BaseInitializer<object>): (typeof KINDS)[number] {
  const fit = KINDS.find((k) => {
    try {
      init.validate(k.layerShape);
      return true;
    } catch {
      return false;
    }
  });
  if (fit === undefined) throw new Error(`${init.getClassName()} fits no test kernel`);
  return fit;
}

/**
 * One branch per initializer — every class this package registers (seeded when it takes a seed,
 * some unseeded too), and every tfjs built-in, seeded and not — each a Dense or Conv layer on an
 * input of its kind.
 */
function zoo(): tfl.LayersModel {
  const inputs = new Map(
    KINDS.map((k) => {
      const c = {kind: k.kind, layerShape: k.layerShape} as InitializerCase;
      return [k.kind, tfl.input({shape: inputShapeFor(c)})];
    }),
  );
  const outputs: tfl.SymbolicTensor[] = [];
  const branch = (kind: (typeof KINDS)[number], init: unknown): void => {
    const layer = caseLayer(tfl.layers, kind as InitializerCase, init as never, false);
    outputs.push(layer.apply(inputs.get(kind.kind) as tfl.SymbolicTensor) as tfl.SymbolicTensor);
  };
  for (const name of registeredNames()) {
    const Cls = registeredClass(name);
    const plain = new Cls();
    const kind = kindFor(plain);
    // Every class seeded; unseeded, a few (how a config says "no seed" is one mechanism for all).
    if (plain.hasOption('seed')) branch(kind, new Cls({seed: 20261207}));
    if (!plain.hasOption('seed') || UNSEEDED.includes(name)) branch(kind, plain);
  }
  for (const spec of TFJS) branch(KINDS[0], spec);
  return tfl.model({inputs: [...inputs.values()], outputs});
}

/** A batch for each input of the zoo. */
function batchFor(model: tfl.LayersModel): tf.Tensor[] {
  return model.inputs.map((input, i) =>
    tf.randomNormal([8, ...(input.shape.slice(1) as number[])], 0, 1, 'float32', 100 + i),
  );
}

let tmp: string;
let source: string;
let dirs = 0;
const fresh = (): string => path.join(tmp, `out${dirs++}`);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'write-invariant-'));
  source = path.join(tmp, 'source');
  const model = zoo();
  await model.save(fileIO(source));
  model.dispose();
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

const INPUTS: Array<[string, () => Promise<tfl.LayersModel>]> = [
  ['loaded with weights', () => tfl.loadLayersModel(fileIO(source))],
  ['loaded without weights', () => tfl.loadLayersModel(fileIO(source, {weights: false}))],
];

/** Saves `model` to a fresh folder and checks the invariant there (see helpers/agreement.ts). */
async function savedAgreement(
  model: tfl.LayersModel,
  declared?: ReadonlySet<string>,
): Promise<Map<string, boolean>> {
  const dir = fresh();
  await model.save(fileIO(dir));
  return expectAgreement(dir, declared);
}

describe.each([
  ['seeded', 5],
  ['unseeded', undefined],
] as const)('%s writes keep values and configs in agreement', (_seeded, seed) => {
  const options = seed === undefined ? {} : {seed};

  it('reinitialize, on the model loaded with weights and without', async () => {
    const results: Float32Array[][] = [];
    for (const [, load] of INPUTS) {
      const model = await load();
      const report = reinitialize(model, options);
      const claims = await savedAgreement(model);
      const names = model.weights.map((w) => w.originalName);
      expect(report.map((r, k) => [names[k], r.reproducible])).toEqual(
        names.map((n) => [n, claims.get(n)]),
      );
      if (seed !== undefined) expect(report.every((r) => r.reproducible)).toBe(true);
      else expect(report.some((r) => !r.reproducible)).toBe(true); // unseeded schemes exist
      results.push(model.getWeights().map((w) => w.dataSync() as Float32Array));
      model.dispose();
    }
    // With a seed, every value follows from the seed and the topology, whatever the input held.
    if (seed !== undefined) expect(results[1]).toEqual(results[0]);
  });

  it.each(INPUTS)('applyInitializers, model %s', async (input, load) => {
    const model = await load();
    const rules: InitializerRule[] = [
      {
        layer: 'Dense',
        weight: 'kernel',
        initializer: {className: 'XavierUniformCustom', config: {gain: 2, seed: 7}},
      },
      {layer: 'Conv2D', weight: 'kernel', initializer: 'KaimingNormal'},
      {weight: 'bias', initializer: {className: 'RandomNormal', config: {stddev: 0.1}}},
    ];
    // An input without stored values has none to keep: its other weights are drawn too.
    const unmatched = input === 'loaded with weights' ? 'keep' : 'reinitialize';
    const report = applyInitializers(model, rules, {...options, unmatched});
    const claims = await savedAgreement(model);
    const matched = model.layers.flatMap((l) =>
      l.weights
        .filter(
          (w) => w.originalName.endsWith('/bias') || ['Dense', 'Conv2D'].includes(l.getClassName()),
        )
        .map((w) => w.originalName),
    );
    const names = new Map(model.weights.map((w) => [w.name, w.originalName]));
    const reported = report.map((r) => names.get(r.weight) as string);
    if (unmatched === 'keep') expect(new Set(reported)).toEqual(new Set(matched));
    else expect(reported).toEqual(model.weights.map((w) => w.originalName));
    expect(report.map((r, i) => [reported[i], r.reproducible])).toEqual(
      reported.map((n) => [n, claims.get(n)]),
    );
    if (seed !== undefined) expect(report.every((r) => r.reproducible)).toBe(true);
    model.dispose();
  });

  it.each(INPUTS)('lsuv, model %s', async (_input, load) => {
    const model = await load();
    const batch = batchFor(model);
    const report = await lsuv(model, batch, {...options, maxIterations: 2});
    tf.dispose(batch);
    expect(report.length).toBe(model.layers.filter((l) => l.weights.length > 0).length);
    await savedAgreement(model, new Set(report.map((r) => `${r.layer}/kernel`)));
    model.dispose();
  });
});

describe('wrappers, recurrent cells, derived and shared options', () => {
  it('reinitialize with a seed: a load without weights reproduces every weight bit for bit', async () => {
    const nested = tfl.sequential({
      name: 'inner',
      layers: [tfl.layers.dense({units: 6, inputShape: [6], kernelInitializer: 'heNormal'})],
    });
    const image = tfl.input({shape: [6, 6, 2]});
    let x = tfl.layers
      .separableConv2d({filters: 4, kernelSize: 3})
      .apply(image) as tfl.SymbolicTensor;
    x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reshape({targetShape: [4, 4]}).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers
      .bidirectional({
        layer: tfl.layers.lstm({
          units: 3,
          unitForgetBias: true,
          biasInitializer: 'randomNormal',
        }) as tfl.RNN,
      } as never)
      .apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.dense({units: 6}).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reshape({targetShape: [2, 3]}).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.gru({units: 6}).apply(x) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: image, outputs: nested.apply(x) as tfl.SymbolicTensor});
    const report = reinitialize(model, {seed: 4});
    expect(report.every((r) => r.reproducible)).toBe(true);
    const dir = fresh();
    await model.save(fileIO(dir));
    const reloaded = await tfl.loadLayersModel(fileIO(dir, {weights: false}));
    expect(valuesByName(reloaded)).toEqual(valuesByName(model));
    // The two directions share one saved option, hence one seed: the backward kernel is the forward one.
    const [forward, backward] = ['forward', 'backward'].map(
      (d) =>
        model.weights.find(
          (w) => w.originalName.includes(`${d}_lstm`) && w.originalName.endsWith('/kernel'),
        ) as tfl.LayerVariable,
    );
    expect(backward.read().dataSync()).toEqual(forward.read().dataSync());
    tf.dispose([model, reloaded] as never);
  });

  it('the in-place functions change values only: the configs stay as they were', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 4, inputShape: [3], kernelInitializer: 'glorotUniform'})],
    });
    const json = JSON.stringify(model.toJSON(null, false));
    xavierUniform_(model.weights[0], 2, {seed: 1});
    expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
    model.dispose();
  });
});
