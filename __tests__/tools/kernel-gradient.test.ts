import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src';
import {
  depthwiseConvolve,
  hasFastKernelGradient,
  kernelGradient,
} from '../../src/tools/kernel-gradient';

/** tfjs's own ∂(Σ out ⊙ R)/∂kernel against ours, for one layer and a random R. */
function compare(layer: tfl.layers.Layer, inputShape: number[]): void {
  const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
  const out = layer.apply(x) as tf.Tensor;
  const r = tf.randomNormal(out.shape, 0, 1, 'float32', 2);
  const kernel = layer.weights[0].read() as tf.Variable;
  const expected = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar,
    [kernel],
  ).grads[kernel.name];
  expect(hasFastKernelGradient(layer)).toBe(true);
  const ours = kernelGradient(layer, x, r, kernel.shape);
  expect(ours.shape).toEqual(kernel.shape);
  const err = tf.tidy(
    () =>
      tf.max(tf.abs(tf.sub(ours, expected))).dataSync()[0] / tf.max(tf.abs(expected)).dataSync()[0],
  );
  expect(err).toBeLessThan(1e-5);
  tf.dispose([x, out, r, expected, ours]);
  layer.dispose();
}

describe('kernelGradient: the convolution kernel gradient as tfjs computes it (linear layers)', () => {
  it.each([
    [
      'Conv2D 3×3 same',
      () => tfl.layers.conv2d({filters: 5, kernelSize: 3, padding: 'same'}),
      [2, 7, 6, 3],
    ],
    [
      'Conv2D 3×2 valid, stride 2',
      () => tfl.layers.conv2d({filters: 4, kernelSize: [3, 2], strides: 2, padding: 'valid'}),
      [2, 9, 8, 3],
    ],
    [
      'Conv2D 3×3 same, stride 2 (odd input)',
      () => tfl.layers.conv2d({filters: 4, kernelSize: 3, strides: 2, padding: 'same'}),
      [2, 7, 9, 2],
    ],
    [
      'Conv2D 1×1',
      () => tfl.layers.conv2d({filters: 6, kernelSize: 1, useBias: false}),
      [3, 4, 4, 5],
    ],
    [
      'Conv1D 4 same, stride 2',
      () => tfl.layers.conv1d({filters: 4, kernelSize: 4, strides: 2, padding: 'same'}),
      [2, 11, 3],
    ],
    [
      'DepthwiseConv2D 3×3 same, multiplier 2',
      () => tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same'}),
      [2, 6, 6, 3],
    ],
    [
      'DepthwiseConv2D 3×3 valid, stride 2',
      () => tfl.layers.depthwiseConv2d({kernelSize: 3, strides: 2, padding: 'valid'}),
      [2, 9, 9, 4],
    ],
    [
      'Conv2D 3×3 same, channels first',
      () =>
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          dataFormat: 'channelsFirst',
        }),
      [2, 3, 7, 6],
    ],
    [
      'DepthwiseConv2D 3×3 same, channels first',
      () =>
        tfl.layers.depthwiseConv2d({kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst'}),
      [2, 3, 6, 6],
    ],
    [
      'Conv2DTranspose 4×4 same, stride 2',
      () => tfl.layers.conv2dTranspose({filters: 5, kernelSize: 4, strides: 2, padding: 'same'}),
      [2, 4, 4, 3],
    ],
    [
      'Conv2DTranspose 3×3 valid, stride 2, channels first',
      () =>
        tfl.layers.conv2dTranspose({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'valid',
          dataFormat: 'channelsFirst',
        }),
      [2, 3, 5, 4],
    ],
  ] as Array<[string, () => tfl.layers.Layer, number[]]>)('%s', (_, make, shape) =>
    compare(make(), shape),
  );

  it(
    'a dilated convolution (tfjs cannot differentiate it): equal ' +
      'to the gradient of the equivalent 5×5 kernel at its taps',
    () => {
      const dilated = tfl.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: tfl.initializers.glorotUniform({seed: 1}),
      });
      const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 1);
      const out = dilated.apply(x) as tf.Tensor;
      const r = tf.randomNormal(out.shape, 0, 1, 'float32', 2);
      const ours = kernelGradient(dilated, x, r, [3, 3, 2, 3]);
      const wide = tf.variable(tf.zeros([5, 5, 2, 3]));
      const full = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(tf.conv2d(x as tf.Tensor4D, wide as unknown as tf.Tensor4D, 1, 'same'), r),
          ) as tf.Scalar,
        [wide],
      ).grads[wide.name];
      const taps = tf.tidy(() => tf.stridedSlice(full, [0, 0, 0, 0], [5, 5, 2, 3], [2, 2, 1, 1]));
      const err = tf.tidy(
        () => tf.max(tf.abs(tf.sub(ours, taps))).dataSync()[0] / tf.max(tf.abs(taps)).dataSync()[0],
      );
      expect(err).toBeLessThan(1e-5);
      tf.dispose([x, out, r, ours, wide, full, taps]);
      dilated.dispose();
    },
  );

  it('does not claim other layers', () => {
    const layer = tfl.layers.separableConv2d({filters: 2, kernelSize: 3});
    expect(hasFastKernelGradient(layer)).toBe(false);
    expect(hasFastKernelGradient(tfl.layers.dense({units: 2}))).toBe(false);
    expect(
      hasFastKernelGradient(tfl.layers.conv1d({filters: 2, kernelSize: 3, padding: 'causal'})),
    ).toBe(false);
  });
});

describe('depthwiseConvolve: a DepthwiseConv2D whose input gradient runs on every backend', () => {
  it.each([
    ['3×3 same', {kernelSize: 3, padding: 'same'}, [2, 6, 7, 3]],
    [
      '3×3 valid, stride 2, multiplier 2',
      {kernelSize: 3, strides: 2, depthMultiplier: 2},
      [2, 9, 8, 2],
    ],
    ['3×3 same, stride 2 (odd input)', {kernelSize: 3, strides: 2, padding: 'same'}, [1, 7, 9, 4]],
    ['4×4 valid, stride 3 (rows no window reaches)', {kernelSize: 4, strides: 3}, [1, 11, 10, 2]],
    [
      '3×3 same, dilationRate 2 (which tfjs-layers ignores, as this does)',
      {kernelSize: 3, dilationRate: 2, padding: 'same'},
      [1, 8, 8, 2],
    ],
    [
      '5×3 same, channels first',
      {kernelSize: [5, 3], padding: 'same', dataFormat: 'channelsFirst'},
      [2, 3, 6, 5],
    ],
  ] as Array<[string, Record<string, unknown>, number[]]>)(
    "%s: the layer's values and tfjs's input gradient",
    (_, config, shape) => {
      const layer = tfl.layers.depthwiseConv2d({
        ...config,
        depthwiseInitializer: tfl.initializers.glorotUniform({seed: 3}),
        biasInitializer: tfl.initializers.randomNormal({seed: 4}),
      } as never);
      const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
      const expected = layer.apply(x) as tf.Tensor;
      const r = tf.randomNormal(expected.shape, 0, 1, 'float32', 6);
      const ours = depthwiseConvolve(layer, x);
      const close = (a: tf.Tensor, b: tf.Tensor): number =>
        tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / tf.max(tf.abs(b)).dataSync()[0]);
      expect(ours.shape).toEqual(expected.shape);
      expect(close(ours, expected)).toBeLessThan(1e-5);
      const theirs = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v) as tf.Tensor, r)))(x);
      const mine = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(depthwiseConvolve(layer, v), r)))(x);
      expect(close(mine, theirs)).toBeLessThan(1e-5);
      tf.dispose([x, expected, r, ours, theirs, mine]);
      layer.dispose();
    },
  );
});
