/**
 * The trend rules judge what actually propagates (issue 18): steps whose scale a normalization
 * removes, bounded outputs, pooled noise and parallel branches give no finding, however their
 * scales look; a finding holds only when every group of examples crosses the threshold; findings on
 * trained weights say so; two runs give the same report. The networks are small (seconds in all).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src';
import {analyzeInitialization, inspectModel, renderTextReport} from '../../src/tools';
import {findProblems} from '../../src/tools/findings';
import type {LayerDiagnostics} from '../../src/tools/diagnostics';

type Sym = tfl.SymbolicTensor;
const L = tfl.layers;
const scaled = (scale: number, seed: number) =>
  tfl.initializers.varianceScaling({scale, mode: 'fanIn', distribution: 'uniform', seed});

const kinds = (xs: Array<{kind: string}>): string[] => [...new Set(xs.map((x) => x.kind))].sort();

async function both(model: tfl.LayersModel, batch: tf.Tensor | tf.Tensor[]) {
  const measured = analyzeInitialization(model, batch);
  const inspected = await inspectModel({modelTopology: model.toJSON(null, false)});
  return {
    measured: kinds(measured.findings),
    inspected: kinds(inspected.problems),
    measured_: measured,
  };
}

describe('steps whose scale the next normalization removes are not judged by it', () => {
  const x = tf.randomNormal([8, 5, 5, 3], 0, 1, 'float32', 1);
  afterAll(() => x.dispose());

  it('Conv(relu) → BN with gains of 1e-6 and 1e6 (positively homogeneous into a normalization)', async () => {
    const input = tfl.input({shape: [5, 5, 3]});
    let h: Sym = input;
    [1e-6, 1e6, 1e-6, 1e6].forEach((scale, i) => {
      h = L.conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: scaled(scale, i),
      }).apply(h) as Sym;
      h = L.batchNormalization({}).apply(h) as Sym;
    });
    h = L.globalAveragePooling2d({}).apply(h) as Sym;
    const model = tfl.model({
      inputs: input,
      outputs: L.dense({units: 3, activation: 'softmax'}).apply(h) as Sym,
    });
    const r = await both(model, x);
    expect(r.measured).toEqual([]);
    expect(r.inspected).toEqual([]);
    model.dispose();
  });

  it('BN → LeakyReLU → linear Conv → BN, and the same with a tanh: the tanh is judged', async () => {
    const build = (activation: 'leaky' | 'tanh'): tfl.LayersModel => {
      const input = tfl.input({shape: [5, 5, 3]});
      let h: Sym = L.batchNormalization({}).apply(input) as Sym;
      for (let i = 0; i < 4; i++) {
        h = (
          activation === 'leaky' ? L.leakyReLU({alpha: 0.1}) : L.activation({activation: 'tanh'})
        ).apply(h) as Sym;
        h = L.conv2d({
          filters: 8,
          kernelSize: 3,
          padding: 'same',
          kernelInitializer: scaled(1e-6, i),
        }).apply(h) as Sym;
        h = L.batchNormalization({}).apply(h) as Sym;
      }
      h = L.flatten().apply(h) as Sym;
      return tfl.model({inputs: input, outputs: L.dense({units: 2}).apply(h) as Sym});
    };
    const leaky = build('leaky');
    const r = await both(leaky, x);
    expect(r.measured).toEqual([]);
    expect(r.inspected).toEqual([]);
    leaky.dispose();
    // The same gains before a tanh: the tanh sees the BN's output (RMS 1), fine — and its tiny
    // output is what the next BN normalizes. Nothing vanishes where it matters.
    const tanh = build('tanh');
    expect(kinds(analyzeInitialization(tanh, x).findings)).toEqual([]);
    tanh.dispose();
  });
});

it('a sigmoid classifier after BN is judged by its input (the slope of 0.25 is no fault)', async () => {
  const model = tfl.sequential({
    layers: [
      L.dense({units: 32, inputShape: [10], kernelInitializer: scaled(1, 1)}),
      L.batchNormalization({}),
      L.dense({units: 1, activation: 'sigmoid', kernelInitializer: scaled(1, 2)}),
    ],
  });
  const xs = tf.randomNormal([32, 10], 0, 1, 'float32', 2);
  const r = await both(model, xs);
  expect(r.measured).toEqual([]);
  expect(r.inspected).toEqual([]);
  const head = r.measured_.layers[2];
  // Its output std is about a quarter of its input's; the level the rules follow is the input's.
  expect(head.activationStd).toBeLessThan(0.35);
  expect(head.level.all).toBeGreaterThan(0.5);
  tf.dispose(xs);
  model.dispose();
});

it('global average pooling of noise → Dense: its mean counts (RMS); no unit dead on one point', async () => {
  const input = tfl.input({shape: [8, 8, 3]});
  let h: Sym = L.conv2d({filters: 16, kernelSize: 3, padding: 'same', useBias: false}).apply(
    input,
  ) as Sym;
  h = L.batchNormalization({}).apply(h) as Sym;
  h = L.reLU({}).apply(h) as Sym;
  h = L.globalAveragePooling2d({}).apply(h) as Sym;
  h = L.dense({units: 32, activation: 'relu'}).apply(h) as Sym;
  const model = tfl.model({
    inputs: input,
    outputs: L.dense({units: 4, activation: 'softmax'}).apply(h) as Sym,
  });
  const xs = tf.randomNormal([16, 8, 8, 3], 0, 1, 'float32', 3);
  const r = await both(model, xs);
  expect(r.measured).toEqual([]);
  expect(r.inspected).toEqual([]);
  tf.dispose(xs);
  model.dispose();
});

it('a branch whose ReLU outputs exactly 0 before a LayerNormalization: vanishing, though scale-free', () => {
  const input = tfl.input({shape: [8]});
  const a = L.dense({units: 8, activation: 'relu', kernelInitializer: 'zeros'}).apply(input) as Sym;
  const b = L.dense({units: 8}).apply(a) as Sym;
  const sum = L.add({}).apply([input, b]) as Sym;
  const model = tfl.model({inputs: input, outputs: L.layerNormalization({}).apply(sum) as Sym});
  const xs = tf.randomNormal([16, 8], 0, 1, 'float32', 4);
  const report = analyzeInitialization(model, xs);
  expect(kinds(report.findings)).toContain('vanishingSignal');
  expect(report.findings.find((f) => f.kind === 'vanishingSignal')?.message).toMatch(
    /falls to exactly 0/,
  );
  tf.dispose(xs);
  model.dispose();
});

describe('what is compared', () => {
  it('parallel branches (query, key, value) are no trend; a residual sum and a join of inputs are marked apart', () => {
    const latent = tfl.input({shape: [4], name: 'latent'});
    const label = tfl.input({shape: [3], name: 'label'});
    const joined = L.concatenate({name: 'join'}).apply([latent, label]) as Sym;
    // Three siblings whose scales differ 1e4×.
    const q = L.dense({units: 8, name: 'query', kernelInitializer: scaled(1e-4, 1)}).apply(
      joined,
    ) as Sym;
    const k = L.dense({units: 8, name: 'key', kernelInitializer: scaled(1e4, 2)}).apply(
      joined,
    ) as Sym;
    const v = L.dense({units: 8, name: 'value', kernelInitializer: scaled(1, 3)}).apply(
      joined,
    ) as Sym;
    const scores = L.multiply({name: 'scores'}).apply([q, k]) as Sym;
    const h = L.dense({units: 8, name: 'h', activation: 'relu'}).apply(v) as Sym;
    const res = L.add({name: 'residual'}).apply([v, h]) as Sym;
    const out = L.concatenate({name: 'out'}).apply([scores, res]) as Sym;
    const model = tfl.model({inputs: [latent, label], outputs: out});
    const xs = [
      tf.randomNormal([16, 4], 0, 1, 'float32', 5),
      tf.randomNormal([16, 3], 0, 1, 'float32', 6),
    ];
    const report = analyzeInitialization(model, xs);
    const trendKinds = report.findings.filter((f) => /Signal|Gradient/.test(f.kind));
    expect(trendKinds.map((f) => f.layers)).not.toContainEqual(['query', 'key']);
    expect(trendKinds.map((f) => f.layers)).not.toContainEqual(['key', 'value']);
    const mark = (n: string) => report.layers.find((l) => l.name === n)?.mark;
    expect(mark('join')).toBe('join');
    expect(mark('residual')).toBe('residual');
    expect(mark('out')).toBe('join');
    tf.dispose(xs);
    model.dispose();
  });

  it('a signal that rises is reported as growing, from its first layer to its last', () => {
    const model = tfl.sequential({
      layers: [0, 1, 2, 3, 4].map((i) =>
        L.dense({
          units: 16,
          activation: 'relu',
          kernelInitializer: scaled(30, i),
          ...(i === 0 ? {inputShape: [16]} : {}),
        }),
      ),
    });
    const xs = tf.randomNormal([32, 16], 0, 1, 'float32', 7);
    const report = analyzeInitialization(model, xs);
    const f = report.findings.find((x) => x.kind === 'explodingSignal');
    expect(f).toBeDefined();
    // Measured from the model input (a float input is a stretch's start), to the last layer.
    expect(f?.message).toMatch(
      /^signal RMS grows [\d.e]+× across 5 weighted layers, input 0 → dense_\w+ /,
    );
    const [from, to] = f?.layers as string[];
    expect(from).toBe('input 0');
    expect(to).toBe(report.layers[report.layers.length - 1].name);
    const inputRms = Math.sqrt(tf.mean(tf.square(xs)).dataSync()[0]);
    expect(report.layers[report.layers.length - 1].level.all).toBeGreaterThan(64 * inputRms);
    tf.dispose(xs);
    model.dispose();
  });
});

describe('a stretch that starts at the model input is measured from the input', () => {
  it("the first layers' growth counts (a huge gain over two Dense layers: 64× and more)", () => {
    const model = tfl.sequential({
      layers: [
        L.dense({
          units: 32,
          activation: 'relu',
          kernelInitializer: scaled(100, 0),
          inputShape: [8],
        }),
        L.dense({units: 16, activation: 'linear', kernelInitializer: scaled(100, 1)}),
        L.dense({units: 4, activation: 'softmax'}),
      ],
    });
    const xs = tf.randomNormal([32, 8], 0, 1, 'float32', 3);
    const report = analyzeInitialization(model, xs);
    const f = report.findings.find((x) => x.kind === 'explodingSignal');
    expect(f?.layers[0]).toBe('input 0');
    tf.dispose(xs);
    model.dispose();
  });

  it("not an input of integer ids (an Embedding's): no finding on a healthy text model", () => {
    const model = tfl.sequential({
      layers: [
        L.embedding({inputDim: 1000, outputDim: 8, inputLength: 6}),
        L.flatten({}),
        L.dense({units: 4, activation: 'softmax'}),
      ],
    });
    // Ids up to 999: an RMS of about 577 that the embedding's ±0.05 outputs would "shrink" 10⁴×.
    const ids = tf.tensor2d(
      Array.from({length: 32 * 6}, (_, k) => (k * 389) % 1000),
      [32, 6],
    );
    expect(analyzeInitialization(model, ids).findings).toEqual([]);
    tf.dispose(ids);
    model.dispose();
  });
});

describe('findProblems: a finding holds only in every group of examples', () => {
  const level = (all: number, groups: number[]) => ({all, groups});
  const layer = (
    name: string,
    depth: number,
    l: number,
    g: number[],
    extra: Partial<LayerDiagnostics> = {},
  ): LayerDiagnostics =>
    ({
      name,
      className: 'Dense',
      activation: 'relu',
      units: 8,
      weighted: true,
      signal: true,
      stretch: 'input 0',
      depth,
      positions: 1,
      inputs: depth === 1 ? ['input 0'] : [`d${depth - 1}`],
      mark: null,
      level: level(l, g),
      gradientLevel: null,
      activationMean: 0,
      activationStd: l,
      saturated: null,
      saturatedByGroup: null,
      dead: null,
      gradientStd: null,
      weight: null,
      weightGradientStd: null,
      weightStd: null,
      symmetricGroups: [],
      symmetryStuck: false,
      zeroUnits: [],
      zeroUnitsStuck: false,
      activationHistogram: {edges: [], counts: [], n: 0},
      gradientHistogram: null,
      ...extra,
    }) as LayerDiagnostics;

  it('crossing in every group: reported with the range; in all but one: not reported', () => {
    const stable = [
      layer('d1', 1, 1, [1, 1, 1]),
      layer('d2', 2, 1 / 100, [1 / 90, 1 / 110, 1 / 100]),
    ];
    const f = findProblems(stable, undefined, {groups: 3, batch: 12});
    expect(f.map((x) => x.kind)).toEqual(['vanishingSignal']);
    expect(f[0].message).toMatch(/holds in each of 3 groups of 4 examples \(90–110×\)/);
    expect(f[0].byGroup).toEqual([90, 110, 100]);
    const flipping = [
      layer('d1', 1, 1, [1, 1, 1]),
      layer('d2', 2, 1 / 100, [1 / 90, 1 / 30, 1 / 300]),
    ];
    expect(findProblems(flipping, undefined, {groups: 3, batch: 12})).toEqual([]);
  });

  it('one bad layer among good ones is no per-layer drift; a drift in every step is', () => {
    const oneBad = [1, 1 / 10, 1 / 12, 1 / 14].map((v, i) => layer(`d${i + 1}`, i + 1, v, [v]));
    expect(findProblems(oneBad, undefined, {groups: 1, batch: 8})).toEqual([]);
    const everyStep = [1, 1 / 2.5, 1 / 6.25, 1 / 15.6].map((v, i) =>
      layer(`d${i + 1}`, i + 1, v, [v]),
    );
    expect(findProblems(everyStep, undefined, {groups: 1, batch: 8}).map((x) => x.kind)).toEqual([
      'vanishingSignal',
    ]);
  });

  it('on trained weights every message says so', () => {
    const zero = layer('d1', 1, 1, [1], {symmetricGroups: [[0, 1, 2, 3, 4, 5, 6, 7]]});
    const [f] = findProblems([zero], undefined, {weights: 'trained', groups: 1, batch: 4});
    expect(f.message).toMatch(/^trained weights: all 8 units of d1 are identical/);
  });
});

it('deterministic: the same model and batch give the same report, and the first line says what the weights are', () => {
  const model = tfl.sequential({
    layers: [
      L.dense({units: 16, activation: 'relu', inputShape: [8], kernelInitializer: scaled(2, 1)}),
      L.dropout({rate: 0.3}),
      L.dense({units: 4, activation: 'softmax', kernelInitializer: scaled(1, 2)}),
    ],
  });
  const xs = tf.randomNormal([16, 8], 0, 1, 'float32', 8);
  const a = analyzeInitialization(model, xs);
  const b = analyzeInitialization(model, xs);
  expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  expect(renderTextReport(a).split('\n')[0]).toMatch(
    /^weights: fresh, drawn by the layers' initializers/,
  );
  const trained = analyzeInitialization(model, xs, {weights: 'trained'});
  expect(renderTextReport(trained).split('\n')[0]).toMatch(/^weights: trained/);
  tf.dispose(xs);
  model.dispose();
});
