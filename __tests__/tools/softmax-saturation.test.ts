/**
 * A softmax head that starts one-hot (issue 18, found on held-out published MLPs with a huge gain
 * planted): measured by `analyzeInitialization`, predicted by `inspectModel`, and the two agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src';
import {analyzeInitialization, inspectModel} from '../../src/tools';
import {oneHotFraction} from '../../src/tools/stats';
import {oneHotShare} from '../../src/tools/signal-flow';

/** 1024 inputs → `classes` softmax units, kernel N(0, std²). */
function head(classes: number, std: number): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: classes,
        inputShape: [1024],
        activation: 'softmax',
        kernelInitializer: tfl.initializers.randomNormal({mean: 0, stddev: std, seed: 3}),
        name: 'head',
      }),
    ],
  });
}

/** A ReLU MLP on 784 inputs with a 10-class softmax head, every kernel VarianceScaling(scale). */
function mlp(scale: number): tfl.LayersModel {
  const kernel = (seed: number) =>
    tfl.initializers.varianceScaling({scale, mode: 'fanIn', distribution: 'uniform', seed});
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 64,
        inputShape: [784],
        activation: 'relu',
        kernelInitializer: kernel(1),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: kernel(2),
        name: 'out',
      }),
    ],
  });
}

it('oneHotFraction counts the rows whose largest probability is at least 0.99', () => {
  const rows = [
    [0.995, 0.005, 0],
    [0.5, 0.25, 0.25],
    [0, 0.99, 0.01],
    [0.98, 0.01, 0.01],
  ];
  expect(oneHotFraction(rows.flat(), 3)).toBe(0.5);
  expect(oneHotFraction([], 3)).toBe(0);
});

it('the predicted one-hot share matches the measured one', () => {
  // Logits std √1024·0.2 = 6.4 over 5 classes: about a third of the rows one-hot. Measured on
  // 4000 rows (standard error 0.75%), predicted on 2000 drawn rows (1.1%); a tolerance of 5 points
  // is over 3.5 combined standard errors, and a logits scale off by √2 moves the share ~15 points.
  const model = head(5, 0.2);
  const x = tf.randomNormal([4000, 1024], 0, 1, 'float32', 7);
  const p = model.predict(x) as tf.Tensor;
  const measured = oneHotFraction(p.dataSync(), 5);
  const predicted = oneHotShare(5, 1024 * 0.2 ** 2);
  expect(measured).toBeGreaterThan(0.2);
  expect(Math.abs(predicted - measured)).toBeLessThan(0.05);
  tf.dispose([x, p]);
  model.dispose();
});

it('a huge gain under a softmax head is found by inspect and analyzeInitialization alike', async () => {
  const x = tf.randomNormal([64, 784], 0, 1, 'float32', 1);
  const faulty = mlp(100);
  const measured = analyzeInitialization(faulty, x);
  expect(measured.findings.map((f) => [f.kind, f.layers])).toEqual([['saturation', ['out']]]);
  expect(measured.findings[0].message).toMatch(
    /^\d+% of the rows of out's softmax output are one-hot \(largest probability ≥ 0\.99\)/,
  );
  const predicted = await inspectModel({modelTopology: faulty.toJSON(null, false)});
  expect(predicted.problems.map((p) => [p.kind, p.layer])).toEqual([['saturation', 'out']]);
  // Trained classifiers are often certain, even of noise: trained weights are not judged by it.
  const trained = analyzeInitialization(faulty, x, {weights: 'trained'});
  expect(trained.findings).toEqual([]);
  // He's scale keeps the logits near 1: no row one-hot, nothing to report.
  const healthy = mlp(2);
  expect(analyzeInitialization(healthy, x).findings).toEqual([]);
  expect((await inspectModel({modelTopology: healthy.toJSON(null, false)})).problems).toEqual([]);
  x.dispose();
  faulty.dispose();
  healthy.dispose();
});
