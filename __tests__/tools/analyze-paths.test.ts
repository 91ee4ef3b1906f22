/**
 * `analyzeInitialization`: training and inference mode, tfjs's BatchNormalization-without-scale
 * bug, dead versus symmetric units, non-finite outputs, and no leak on any failure path.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError, KaimingNormal} from '../../src';
import {analyzeInitialization, planAnalysis} from '../../src/tools';

type Sym = tfl.SymbolicTensor;
const L = tfl.layers;

/**
 * Conv → BN(scale?) → ReLU, `depth` times, each convolution shrinking the signal about 5× in std
 * (BN renormalizes it).
 */
function bnNet(depth: number, scale: boolean): tfl.LayersModel {
  const input = tfl.input({shape: [4, 4, 4]});
  let x: Sym = input;
  for (let i = 0; i < depth; i++) {
    x = L.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.randomNormal({stddev: 0.03, seed: i + 1}),
      name: `conv_${i}`,
    }).apply(x) as Sym;
    x = L.batchNormalization({scale, name: `bn_${i}`}).apply(x) as Sym;
    x = L.reLU({name: `relu_${i}`}).apply(x) as Sym;
  }
  x = L.flatten().apply(x) as Sym;
  return tfl.model({
    inputs: input,
    outputs: L.dense({
      units: 3,
      activation: 'softmax',
      kernelInitializer: new KaimingNormal({seed: 9}) as never,
    }).apply(x) as Sym,
  });
}

const values = (m: tfl.LayersModel): Float32Array[] =>
  m.weights.map((w) => (w.read().dataSync() as Float32Array).slice());

describe('analyzeInitialization: training and inference mode', () => {
  const x = tf.randomNormal([8, 4, 4, 4], 0, 1, 'float32', 3);
  afterAll(() => x.dispose());

  it(
    'training mode (the default): BN normalizes with the batch, ' +
      'no finding; inference mode: the fresh BN passes ' +
      'the shrink on',
    () => {
      const model = bnNet(5, true);
      const before = values(model);
      const training = analyzeInitialization(model, x);
      expect(training.training).toBe(true);
      expect(training.findings).toEqual([]);
      // Each BN output has std σ/√(σ² + ε) on the batch in training mode: near 1 (BN's ε = 1e-3 weighs
      // against the convolutions' small σ²); in inference mode the fresh BN divides by √(1 + ε) and
      // passes on σ itself, which shrinks layer after layer.
      const bnStd = (r: typeof training): number[] =>
        r.layers.filter((l) => l.className === 'BatchNormalization').map((l) => l.activationStd);
      for (const s of bnStd(training)) expect(s).toBeGreaterThan(0.9);
      // The moving statistics a training step updates are put back: the model is as it was.
      expect(values(model)).toEqual(before);
      const inference = analyzeInitialization(model, x, {training: false});
      expect(inference.training).toBe(false);
      expect(inference.findings.map((f) => f.kind)).toContain('vanishingSignal');
      expect(bnStd(inference)[4]).toBeLessThan(1e-3);
      // A trained BatchNormalization (moving statistics not 0 and 1) normalizes in inference mode too:
      // it cuts the stretches again, and no trend spans it.
      for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
        const [gamma, beta, mean, variance] = layer.getWeights();
        const trained = tf.fill(variance.shape, 2e-3);
        layer.setWeights([gamma, beta, mean, trained]);
        trained.dispose();
      }
      expect(
        analyzeInitialization(model, x, {training: false}).findings.filter((f) =>
          /Signal|Gradient/.test(f.kind),
        ),
      ).toEqual([]);
      model.dispose();
    },
  );

  it(
    'BatchNormalization({scale: false}) — tfjs 4.22 throws a raw ' +
      'TypeError in training mode, and under a tape in inference ' +
      'mode — is analysed, with γ = 1, and restored',
    () => {
      const model = bnNet(2, false);
      const direct = (): unknown => tf.tidy(() => model.apply(x, {training: true}) as tf.Tensor);
      expect(direct).toThrow(TypeError); // the bug this works around: if tfjs fixes it, this line tells us
      const before = values(model);
      const numTensors = tf.memory().numTensors;
      const report = analyzeInitialization(model, x);
      expect(tf.memory().numTensors).toBe(numTensors);
      expect(report.findings).toEqual([]);
      // Inference mode under a gradient tape fails in tfjs too (a null γ saved for the backward pass).
      expect(analyzeInitialization(model, x, {training: false}).layers).toHaveLength(
        report.layers.length,
      );
      expect(tf.memory().numTensors).toBe(numTensors);
      expect(values(model)).toEqual(before);
      expect((model.getLayer('bn_0') as unknown as {gamma?: unknown}).gamma).toBeUndefined();
      model.dispose();
    },
  );

  it('dropout is on in training mode and seeded: two runs agree', () => {
    const model = tfl.sequential({
      layers: [
        L.dense({
          units: 16,
          inputShape: [4],
          activation: 'relu',
          kernelInitializer: new KaimingNormal({seed: 1}) as never,
        }),
        L.dropout({rate: 0.5}),
        L.dense({units: 2, kernelInitializer: new KaimingNormal({seed: 2}) as never}),
      ],
    });
    const xs = tf.randomNormal([16, 4], 0, 1, 'float32', 5);
    const a = analyzeInitialization(model, xs, {seed: 3});
    const b = analyzeInitialization(model, xs, {seed: 3});
    const off = analyzeInitialization(model, xs, {training: false});
    const drop = (r: typeof a): number => r.layers[1].activationStd;
    expect(drop(a)).toBe(drop(b));
    expect(drop(a)).not.toBe(drop(off));
    xs.dispose();
    model.dispose();
  });
});

describe('analyzeInitialization: dead units versus symmetric units', () => {
  const x = tf.randomNormal([32, 8, 8, 3], 0, 1, 'float32', 4);
  afterAll(() => x.dispose());

  function convNet(edit: (kernel: number[][][][]) => void): tfl.LayersModel {
    const model = tfl.sequential({
      layers: [
        L.conv2d({
          filters: 8,
          kernelSize: 3,
          inputShape: [8, 8, 3],
          activation: 'relu',
          kernelInitializer: new KaimingNormal({seed: 1}) as never,
          name: 'conv',
        }),
        L.flatten(),
        L.dense({units: 2, kernelInitializer: new KaimingNormal({seed: 2}) as never, name: 'out'}),
      ],
    });
    const [kernel, bias] = model.getLayer('conv').getWeights();
    const k = kernel.arraySync() as number[][][][];
    edit(k);
    const edited = tf.tensor4d(k);
    model.getLayer('conv').setWeights([edited, bias]);
    edited.dispose();
    return model;
  }
  const eachTap = (k: number[][][][], f: (taps: number[]) => void): void =>
    k.forEach((a) => a.forEach((b) => b.forEach(f)));

  it('all-zero filters among live ones are dead units, not symmetric ones', () => {
    const model = convNet((k) =>
      eachTap(k, (taps) => {
        taps[2] = 0;
        taps[6] = 0;
      }),
    );
    const report = analyzeInitialization(model, x);
    expect(report.layers[0].zeroUnits).toEqual([2, 6]);
    expect(report.layers[0].symmetricGroups).toEqual([]);
    expect(report.findings.filter((f) => f.layers[0] === 'conv').map((f) => f.kind)).toEqual([
      'deadUnits',
    ]);
    expect(report.findings[0].message).toMatch(
      /^2 of the 8 units of conv have all-zero incoming weights \(dead units, e\.g\. units 2, 6\): they output a constant/,
    );
    model.dispose();
  });

  it('equal non-zero filters are symmetric units, not dead ones', () => {
    const model = convNet((k) =>
      eachTap(k, (taps) => {
        taps[5] = taps[1];
      }),
    );
    const report = analyzeInitialization(model, x);
    expect(report.layers[0].zeroUnits).toEqual([]);
    expect(report.layers[0].symmetricGroups).toEqual([[1, 5]]);
    expect(report.findings.map((f) => f.kind)).toEqual(['symmetricUnits']);
    model.dispose();
  });

  it('nonFinite: fires for a NaN in a kernel; not otherwise', () => {
    const model = convNet((k) => {
      k[0][0][0][3] = NaN;
    });
    expect(analyzeInitialization(model, x).findings.map((f) => f.kind)).toContain('nonFinite');
    model.dispose();
    const healthy = convNet(() => undefined);
    expect(analyzeInitialization(healthy, x).findings).toEqual([]);
    healthy.dispose();
  });
});

describe('analyzeInitialization leaks nothing when it fails part-way', () => {
  class NoGradient extends tfl.layers.Layer {
    static className = 'NoGradientForTest';
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      const t = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.tidy(() => tf.add(t, tf.topk(t, 1).values));
    }
  }

  const mlp = (extra: tfl.layers.Layer[] = []): tfl.Sequential =>
    tfl.sequential({
      layers: [
        L.dense({
          units: 8,
          inputShape: [4],
          activation: 'relu',
          kernelInitializer: new KaimingNormal({seed: 1}) as never,
        }),
        ...extra,
        L.dense({
          units: 3,
          activation: 'softmax',
          kernelInitializer: new KaimingNormal({seed: 2}) as never,
        }),
      ],
    });

  const cases: Array<[string, () => {model: tfl.LayersModel; run: () => unknown}]> = [
    [
      'a masking layer (refused before the pass)',
      () => {
        const model = tfl.sequential({layers: [L.masking({inputShape: [4]}), L.dense({units: 2})]});
        return {model, run: () => analyzeInitialization(model, tf.ones([4, 4]))};
      },
    ],
    [
      'an input of the wrong shape (a layer fails mid-forward)',
      () => {
        const model = mlp();
        return {model, run: () => analyzeInitialization(model, tf.ones([4, 5]))};
      },
    ],
    [
      'labels of the wrong shape (the loss fails after the forward pass)',
      () => {
        const model = mlp();
        return {
          model,
          run: () => analyzeInitialization(model, tf.ones([4, 4]), {labels: tf.ones([4, 7])}),
        };
      },
    ],
    [
      'an op without a gradient (the backward pass fails)',
      () => {
        const model = mlp([new NoGradient({})]);
        return {model, run: () => analyzeInitialization(model, tf.ones([4, 4]))};
      },
    ],
  ];

  it.each(cases)('%s', (_, make) => {
    const {model, run} = make();
    const before = values(model);
    const numTensors = tf.memory().numTensors;
    expect(run).toThrow();
    // Only the inputs the case itself made remain (1 batch, plus 1 labels tensor in the loss case).
    const extra = _.startsWith('labels') ? 2 : 1;
    expect(tf.memory().numTensors).toBe(numTensors + extra);
    expect(values(model)).toEqual(before);
    model.dispose();
  });

  it(
    'a kernel the backend lacks (wasm: UnsortedSegmentSum, an ' +
      "Embedding's gradient) is named in one clear sentence; " +
      'planAnalysis finds it first; a depthwise convolution needs no kernel wasm lacks',
    async () => {
      const depthwise = tfl.sequential({
        layers: [
          L.depthwiseConv2d({
            kernelSize: 3,
            strides: 2,
            depthMultiplier: 2,
            inputShape: [7, 7, 2],
            depthwiseInitializer: new KaimingNormal({seed: 1}) as never,
          }),
          L.flatten(),
          L.dense({units: 2, kernelInitializer: new KaimingNormal({seed: 2}) as never}),
        ],
      });
      const text = tfl.sequential({
        layers: [
          L.embedding({inputDim: 10, outputDim: 4, inputLength: 5}),
          L.flatten(),
          L.dense({units: 2, kernelInitializer: new KaimingNormal({seed: 3}) as never}),
        ],
      });
      const xs = tf.randomNormal([4, 7, 7, 2], 0, 1, 'float32', 1);
      const ids = tf.tensor2d([
        [1, 2, 3, 4, 5],
        [0, 9, 8, 7, 6],
      ]);
      const onCpu = await planAnalysis(depthwise, xs);
      expect(onCpu.missing).toEqual([]);
      // The depthwise convolution runs as taps of plain ops (depthwiseTaps) and its kernel gradient
      // is the analysis's own (kernelGradient): neither of tfjs's depthwise gradients is needed.
      expect(onCpu.kernels).not.toContain('DepthwiseConv2dNativeBackpropInput');
      expect(onCpu.kernels).not.toContain('DepthwiseConv2dNativeBackpropFilter');
      const reference = analyzeInitialization(depthwise, xs);
      await import('@tensorflow/tfjs-backend-wasm');
      // IS_TEST (set by the test setup) makes tfjs check every kernel for data leaks, which data moved
      // between backends and the wasm backend's fused kernels trip; the CLI runs without it.
      tf.env().set('IS_TEST', false);
      expect(await tf.setBackend('wasm')).toBe(true);
      try {
        expect((await planAnalysis(depthwise, xs)).missing).toEqual([]);
        const onWasm = analyzeInitialization(depthwise, xs);
        onWasm.layers.forEach((l, i) =>
          expect(l.activationStd).toBeCloseTo(reference.layers[i].activationStd, 4),
        );
        const plan = await planAnalysis(text, ids);
        expect(plan.backend).toBe('wasm');
        expect(plan.missing).toEqual(['UnsortedSegmentSum']);
        expect(plan.bytesPerExample).toBeGreaterThan(0);
        const numTensors = tf.memory().numTensors;
        expect(() => analyzeInitialization(text, ids)).toThrow(
          new InitializerError(
            'analyzeInitialization',
            'backend',
            'the wasm backend has no UnsortedSegmentSum ' +
              "kernel, which this model's forward or backward pass needs; " +
              'switch to a backend that has it (e.g. `await ' +
              "tf.setBackend('cpu')`), or let `tfjs-init doctor` choose one",
          ),
        );
        expect(tf.memory().numTensors).toBe(numTensors);
      } finally {
        tf.dispose([xs, ids]);
        depthwise.dispose();
        text.dispose();
        await tf.setBackend('cpu');
        tf.env().set('IS_TEST', true);
      }
    },
  );
});
