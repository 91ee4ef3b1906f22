import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {HtmlValidate} from 'html-validate';
import {InitializerError, KaimingNormal, XavierUniformCustom} from '../../src';
import {
  analyzeInitialization,
  renderTextReport,
  renderHtmlReport,
  type Finding,
} from '../../src/tools';

const seeded = (k: number) => new KaimingNormal({seed: k});

function mlp(
  depth: number,
  width: number,
  activation: 'relu' | 'tanh',
  kernel: (i: number) => unknown,
  inputDim = 16,
): tfl.Sequential {
  const model = tfl.sequential();
  for (let i = 0; i < depth; i++) {
    model.add(
      tfl.layers.dense({
        units: width,
        activation,
        kernelInitializer: kernel(i) as never,
        name: `dense_${i + 1}`,
        ...(i === 0 ? {inputShape: [inputDim]} : {}),
      }),
    );
  }
  model.add(
    tfl.layers.dense({
      units: 4,
      activation: 'softmax',
      kernelInitializer: new XavierUniformCustom({seed: 50}),
      name: 'out',
    }),
  );
  return model;
}

const kinds = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.kind))].sort();

describe('analyzeInitialization', () => {
  const x = tf.randomNormal([64, 16], 0, 1, 'float32', 1);
  afterAll(() => x.dispose());

  it('reports no problem for a healthy Kaiming ReLU net and a Xavier tanh net, without leaking', () => {
    for (const model of [
      mlp(5, 64, 'relu', seeded),
      mlp(5, 64, 'tanh', (i) => new XavierUniformCustom({gain: 5 / 3, seed: i})),
    ]) {
      const before = tf.memory().numTensors;
      const report = analyzeInitialization(model, x);
      expect(tf.memory().numTensors).toBe(before);
      expect(report.findings).toEqual([]);
      expect(report.layers.map((l) => l.name)).toEqual([
        'dense_1',
        'dense_2',
        'dense_3',
        'dense_4',
        'dense_5',
        'out',
      ]);
      for (const l of report.layers) {
        expect(l.activationStd).toBeGreaterThan(0);
        expect(l.gradientStd).toBeGreaterThan(0);
        expect(l.weightGradientStd).toBeGreaterThan(0);
        expect(l.symmetricGroups).toEqual([]);
      }
      expect(renderTextReport(report)).toContain('findings: no problems found');
      model.dispose();
    }
  });

  it('measures what it reports: activation std and dead fraction match a direct computation', () => {
    const model = mlp(2, 32, 'relu', seeded);
    const report = analyzeInitialization(model, x);
    const h = tfl
      .model({inputs: model.inputs, outputs: model.layers[1].output as tfl.SymbolicTensor})
      .predict(x) as tf.Tensor2D;
    const values = h.arraySync();
    const flat = values.flat();
    const mean = flat.reduce((a, b) => a + b, 0) / flat.length;
    const std = Math.sqrt(flat.reduce((a, b) => a + (b - mean) ** 2, 0) / flat.length);
    const dead =
      [...Array(32).keys()].filter((j) => values.every((row) => row[j] === 0)).length / 32;
    expect(report.layers[1].activationStd).toBeCloseTo(std, 5);
    expect(report.layers[1].dead).toBe(dead);
    h.dispose();
    model.dispose();
  });

  it('finds planted symmetric units, naming the groups', () => {
    const model = mlp(2, 8, 'tanh', (i) => new XavierUniformCustom({seed: i}));
    const [kernel, bias] = model.layers[1].getWeights();
    const k = kernel.arraySync() as number[][];
    for (const row of k) {
      row[5] = row[2];
      row[7] = row[2];
      row[6] = row[1];
    }
    model.layers[1].setWeights([tf.tensor2d(k), bias]);
    const report = analyzeInitialization(model, x);
    expect(report.layers[1].symmetricGroups).toEqual([
      [1, 6],
      [2, 5, 7],
    ]);
    expect(report.findings.filter((f) => f.kind === 'symmetricUnits')).toEqual([
      expect.objectContaining({
        layers: ['dense_2'],
        message: expect.stringContaining('5 of 8 units of dense_2 fall into 2 groups'),
      }),
    ]);
    model.dispose();
  });

  it('all-zero kernels: every unit identical with identical gradients — symmetry never breaks', () => {
    const model = mlp(3, 16, 'tanh', () => 'zeros');
    const report = analyzeInitialization(model, x);
    const messages = report.findings.map((f) => f.message);
    for (const name of ['dense_1', 'dense_2', 'dense_3'])
      expect(messages).toContain(`all 16 units of ${name} are identical: symmetry never breaks`);
    // Zero kernels pass no gradient down: the three hidden layers and the output layer above them
    // get none — one finding for the four.
    expect(report.findings.filter((f) => f.kind === 'noGradient')).toEqual([
      {
        kind: 'noGradient',
        layers: ['dense_1', 'dense_2', 'dense_3', 'out'],
        message:
          'no gradient reaches the weights of 4 layers (dense_1/kernel ' +
          '… out/kernel): the gradient of every one of their ' +
          'weights is 0',
      },
    ]);
    model.dispose();
  });

  it(
    'one zero layer between random ones: identical units, but ' +
      'the random layer above gives them different gradients',
    () => {
      const model = mlp(3, 16, 'tanh', (i) =>
        i === 1 ? 'zeros' : new XavierUniformCustom({seed: i}),
      );
      const report = analyzeInitialization(model, x);
      const messages = report.findings.map((f) => f.message);
      expect(messages).toContain(
        'all 16 units of dense_2 are identical: their gradients differ, so they drift apart only slowly',
      );
      // The zero layer blocks the gradient to the layer below it.
      expect(messages).toContain(
        'no gradient reaches dense_1/kernel: the gradient of every one of its weights is 0',
      );
      expect(report.layers[1].weightGradientStd).toBeGreaterThan(0);
      model.dispose();
    },
  );

  it('finds dead ReLUs planted with a large negative bias', () => {
    const model = mlp(3, 20, 'relu', seeded);
    const [kernel, bias] = model.layers[1].getWeights();
    const b = bias.arraySync() as number[];
    for (let j = 0; j < 10; j++) b[j] = -100;
    model.layers[1].setWeights([kernel, tf.tensor1d(b)]);
    const report = analyzeInitialization(model, x);
    expect(report.layers[1].dead).toBe(0.5);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'deadUnits',
        layers: ['dense_2'],
        message: expect.stringContaining('50% of the 20 relu units of dense_2 are dead'),
      }),
    ]);
    model.dispose();
  });

  it('finds vanishing signal and gradient with too-small weights, and exploding ones with too-large', () => {
    const small = mlp(6, 64, 'tanh', (i) =>
      tfl.initializers.randomNormal({mean: 0, stddev: 0.05, seed: i + 1}),
    );
    const report = analyzeInitialization(small, x);
    expect(kinds(report.findings)).toEqual(['vanishingGradient', 'vanishingSignal']);
    const signal = report.findings.find((f) => f.kind === 'vanishingSignal') as Finding;
    expect(signal.message).toMatch(
      /^signal RMS shrinks \d+(\.\d)?× across 6 weighted layers, input 0 → dense_6 \(\d\.\d\d× per layer\); holds in each of 4 groups of 16 examples \(\d+–\d+×\): vanishing signal$/,
    );
    const std = report.layers.map((l) => l.activationStd);
    expect(std[0] / std[5]).toBeGreaterThan(4);
    small.dispose();
    const large = mlp(6, 64, 'relu', (i) =>
      tfl.initializers.randomNormal({mean: 0, stddev: 0.5, seed: i + 1}),
    );
    expect(kinds(analyzeInitialization(large, x).findings)).toEqual(
      expect.arrayContaining(['explodingSignal']),
    );
    large.dispose();
  });

  it('uses labels with a matching loss and expands nested models', () => {
    const inner = tfl.sequential({
      name: 'inner',
      layers: [
        tfl.layers.dense({
          units: 8,
          inputShape: [16],
          activation: 'relu',
          kernelInitializer: seeded(1),
          name: 'a',
        }),
      ],
    });
    const outer = tfl.sequential({
      layers: [
        inner,
        tfl.layers.dense({
          units: 4,
          activation: 'softmax',
          kernelInitializer: seeded(2),
          name: 'b',
        }),
      ],
    });
    const labels = tf.oneHot(
      tf.tensor1d(
        [...Array(64).keys()].map((i) => i % 4),
        'int32',
      ),
      4,
    );
    const report = analyzeInitialization(outer, x, {labels});
    expect(report.loss.name).toBe('categoricalCrossentropy');
    expect(report.loss.value).toBeGreaterThan(0.5);
    expect(report.layers.map((l) => l.name)).toEqual(['inner/a', 'b']);
    expect(() => analyzeInitialization(outer, x, {bins: 1})).toThrow(InitializerError);
    labels.dispose();
    outer.dispose();
  });

  it('renders one valid, self-contained HTML page with the charts as inline SVG', async () => {
    const model = mlp(3, 32, 'tanh', (i) =>
      tfl.initializers.randomUniform({minval: -0.1, maxval: 0.1, seed: i + 1}),
    );
    const report = analyzeInitialization(model, x);
    const html = await renderHtmlReport(report, {title: 'test <report>'});
    const result = await new HtmlValidate({extends: ['html-validate:recommended']}).validateString(
      html,
    );
    expect(
      result.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
    ).toEqual([]);
    expect(result.valid).toBe(true);
    expect(html).toContain('<title>test &lt;report&gt;</title>');
    expect((html.match(/<svg[\s>]/g) ?? []).length).toBe(2);
    // Self-contained: nothing to fetch — no scripts, links, images, imports or remote URLs outside XML namespaces.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"')<]+/g) ?? [];
    expect(urls.filter((u) => !/^http:\/\/www\.w3\.org\//.test(u))).toEqual([]);
    for (const f of report.findings)
      expect(html).toContain(f.message.replace(/&/g, '&amp;').replace(/>/g, '&gt;'));
    model.dispose();
  });
});
