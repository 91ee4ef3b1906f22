import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError} from '../../src';
import {lsuv, type LsuvProgress} from '../../src/tools';

const tiny = (): tf.serialization.Serializable =>
  tfl.initializers.randomNormal({
    mean: 0,
    stddev: 0.01,
    seed: 1,
  }) as unknown as tf.serialization.Serializable;

function denseStack(activation: 'relu' | 'tanh'): tfl.Sequential {
  const model = tfl.sequential();
  for (let i = 0; i < 6; i++) {
    model.add(
      tfl.layers.dense({
        units: 32,
        activation,
        kernelInitializer: tiny() as never,
        biasInitializer: 'zeros',
        ...(i === 0 ? {inputShape: [20]} : {}),
      }),
    );
  }
  return model;
}

function convStack(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      filters: 6,
      kernelSize: 3,
      activation: 'relu',
      inputShape: [10, 10, 3],
      kernelInitializer: tiny() as never,
    }),
  );
  model.add(
    tfl.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tiny() as never,
    }),
  );
  model.add(tfl.layers.maxPooling2d({poolSize: 2}));
  model.add(
    tfl.layers.conv2d({
      filters: 8,
      kernelSize: 2,
      activation: 'relu',
      kernelInitializer: tiny() as never,
    }),
  );
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({units: 10, kernelInitializer: tiny() as never}));
  return model;
}

/**
 * Variance of every Dense/Conv layer's pre-activation (or output) on the batch, measured
 * independently with a prefix model.
 */
function measured(model: tfl.LayersModel, batch: tf.Tensor, preActivation: boolean): number[] {
  const out: number[] = [];
  const inputs = model.inputs[0];
  for (const layer of model.layers) {
    if (!['Dense', 'Conv2D'].includes(layer.getClassName())) continue;
    const config = layer.getConfig();
    const v = tf.tidy(() => {
      let y = tfl
        .model({inputs, outputs: layer.output as tfl.SymbolicTensor})
        .predict(batch) as tf.Tensor;
      if (preActivation && config.activation !== 'linear') {
        // Recompute the affine part from the layer's input and weights.
        const x = tfl
          .model({inputs, outputs: layer.input as tfl.SymbolicTensor})
          .predict(batch) as tf.Tensor;
        const [kernel, bias] = layer.getWeights();
        y =
          layer.getClassName() === 'Dense'
            ? tf.add(tf.matMul(x, kernel), bias)
            : tf.add(
                tf.conv2d(
                  x as tf.Tensor4D,
                  kernel as tf.Tensor4D,
                  1,
                  config.padding as 'same' | 'valid',
                ),
                bias,
              );
      }
      return tf.moments(y).variance;
    });
    out.push(v.dataSync()[0]);
    v.dispose();
  }
  return out;
}

describe('lsuv', () => {
  const batch = tf.randomNormal([128, 20], 0, 1, 'float32', 3);
  const images = tf.randomNormal([32, 10, 10, 3], 0, 1, 'float32', 4);
  afterAll(() => tf.dispose([batch, images]));

  it.each(['relu', 'tanh'] as const)(
    'brings every Dense pre-activation of a %s stack to unit variance within tolerance',
    async (activation) => {
      const model = denseStack(activation);
      expect(Math.min(...measured(model, batch, true))).toBeLessThan(1e-3); // the tiny init starves the signal
      const before = tf.memory().numTensors;
      const report = await lsuv(model, batch, {tolerance: 0.05, seed: 1});
      expect(tf.memory().numTensors).toBe(before);
      expect(report).toHaveLength(6);
      const variances = measured(model, batch, true);
      variances.forEach((v, i) => {
        expect(Math.abs(v - 1)).toBeLessThan(0.05);
        expect(report[i].variance).toBeCloseTo(v, 4);
        expect(report[i].converged).toBe(true);
      });
      model.dispose();
    },
  );

  it('handles a Conv stack (conv, pooling, flatten, dense) and reports progress per layer', async () => {
    const model = convStack();
    const progress: LsuvProgress[] = [];
    const before = tf.memory().numTensors;
    const report = await lsuv(model, images, {onLayer: (p) => void progress.push(p)});
    expect(tf.memory().numTensors).toBe(before);
    expect(report.map((r) => r.className)).toEqual(['Conv2D', 'Conv2D', 'Conv2D', 'Dense']);
    expect(progress.map((p) => `${p.index}/${p.total}`)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    for (const v of measured(model, images, true)) expect(Math.abs(v - 1)).toBeLessThan(0.1);
    model.dispose();
  });

  it('pre-initializes orthogonally: a square Dense kernel becomes a multiple of an orthogonal matrix', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 16, inputShape: [16], kernelInitializer: tiny() as never})],
    });
    const x = tf.randomNormal([64, 16], 0, 1, 'float32', 5);
    await lsuv(model, x, {seed: 2});
    const w = model.getWeights()[0];
    const gram = tf.matMul(w, w, true, false);
    const g = gram.dataSync();
    const scale = g[0];
    for (let i = 0; i < 16; i++)
      for (let j = 0; j < 16; j++)
        expect(Math.abs(g[i * 16 + j] - (i === j ? scale : 0))).toBeLessThan(1e-4 * scale);
    tf.dispose([x, gram]);
    model.dispose();
  });

  it("measure: 'output' targets the activation's output, and is reproducible with a seed", async () => {
    const a = denseStack('relu');
    const b = denseStack('relu');
    const ra = await lsuv(a, batch, {measure: 'output', seed: 7});
    await lsuv(b, batch, {measure: 'output', seed: 7});
    measured(a, batch, false).forEach((v, i) => {
      expect(Math.abs(v - 1)).toBeLessThan(0.1);
      expect(ra[i].variance).toBeCloseTo(v, 4);
    });
    a.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(b.getWeights()[i].dataSync()));
    a.dispose();
    b.dispose();
  });

  it('rejects bad options, models without kernels and dead outputs', async () => {
    const model = denseStack('relu');
    await expect(lsuv(model, batch, {tolerance: 0})).rejects.toThrow(InitializerError);
    await expect(lsuv(model, batch, {maxIterations: 0})).rejects.toThrow(/maxIterations/);
    const flat = tfl.sequential({layers: [tfl.layers.flatten({inputShape: [2, 2]})]});
    await expect(lsuv(flat, tf.zeros([2, 2, 2]))).rejects.toThrow(/no layer LSUV initializes/);
    const zeros = tf.zeros([8, 20]);
    await expect(lsuv(model, zeros)).rejects.toThrow(/variance 0/);
    tf.dispose(zeros);
    model.dispose();
    flat.dispose();
  });

  it(
    'a failure part-way (a dead layer, an onLayer that throws, a ' +
      'disposed model) restores every kernel and leaves no tensor',
    async () => {
      const model = denseStack('tanh');
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      const tensors = tf.memory().numTensors;
      const throwing = lsuv(model, batch, {
        onLayer: (p: LsuvProgress) => {
          if (p.index === 3) throw new Error('stop');
        },
      });
      await expect(throwing).rejects.toThrow('stop');
      expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      const zeros = tf.zeros([8, 20]);
      await expect(lsuv(model, zeros)).rejects.toThrow(/variance 0/);
      expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      zeros.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      model.dispose();
      await expect(lsuv(model, batch)).rejects.toThrow(
        'lsuv: option `model` must be a tf.LayersModel that is not disposed (one of its weights is)',
      );
    },
  );
});
