/**
 * Keras's InceptionV3 (`keras.applications.InceptionV3(include_top=False)`, 299×299×3 input) built
 * in tfjs, for `npm run bench:inplace`: 94 convolutions without bias, each followed by a
 * BatchNormalization without scale (beta, moving mean, moving variance) and a ReLU — 21,802,784
 * weights in 376 tensors, the count Keras reports. Kernels start as PyTorch's ResNets do
 * (`KaimingNormal`, fan-out, ReLU); BN beta and moving mean are `ZeroBias`, the moving variance
 * tfjs's `ones`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {KaimingNormal, ZeroBias} from '../src';

/** Keras's parameter count for `InceptionV3(include_top=False)`. */
export const INCEPTION_V3_WEIGHTS = 21_802_784;

type Sym = tfl.SymbolicTensor;

function convBn(
  x: Sym,
  filters: number,
  rows: number,
  cols: number,
  strides = 1,
  padding: 'same' | 'valid' = 'same',
): Sym {
  const conv = tfl.layers.conv2d({
    filters,
    kernelSize: [rows, cols],
    strides,
    padding,
    useBias: false,
    kernelInitializer: new KaimingNormal({mode: 'fanOut', nonlinearity: 'relu'}),
  });
  const bn = tfl.layers.batchNormalization({
    axis: 3,
    scale: false,
    betaInitializer: new ZeroBias(),
    movingMeanInitializer: new ZeroBias(),
    movingVarianceInitializer: 'ones',
  });
  return tfl.layers.activation({activation: 'relu'}).apply(bn.apply(conv.apply(x))) as Sym;
}

const concat = (xs: Sym[]): Sym => tfl.layers.concatenate({axis: 3}).apply(xs) as Sym;
const maxPool = (x: Sym): Sym => tfl.layers.maxPooling2d({poolSize: 3, strides: 2}).apply(x) as Sym;
const avgPool = (x: Sym): Sym =>
  tfl.layers.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}).apply(x) as Sym;

/** Mixed blocks 0–2 (35 × 35). */
function block35(x: Sym, pool: number): Sym {
  const b1 = convBn(x, 64, 1, 1);
  const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
  const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  return concat([b1, b5, b3, convBn(avgPool(x), pool, 1, 1)]);
}

/** Mixed blocks 4–7 (17 × 17), `c` channels in the 7-tap factorized branches. */
function block17(x: Sym, c: number): Sym {
  const b1 = convBn(x, 192, 1, 1);
  const b7 = convBn(convBn(convBn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
  let d = convBn(x, c, 1, 1);
  d = convBn(convBn(convBn(d, c, 7, 1), c, 1, 7), c, 7, 1);
  d = convBn(d, 192, 1, 7);
  return concat([b1, b7, d, convBn(avgPool(x), 192, 1, 1)]);
}

/** Mixed blocks 9–10 (8 × 8). */
function block8(x: Sym): Sym {
  const b1 = convBn(x, 320, 1, 1);
  const b3 = convBn(x, 384, 1, 1);
  const b3s = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)]);
  const d = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
  const ds = concat([convBn(d, 384, 1, 3), convBn(d, 384, 3, 1)]);
  return concat([b1, b3s, ds, convBn(avgPool(x), 192, 1, 1)]);
}

/** Builds InceptionV3 without its top on the current backend (its weights are drawn now). */
export function inceptionV3(): tfl.LayersModel {
  const input = tfl.input({shape: [299, 299, 3]});
  let x = convBn(input, 32, 3, 3, 2, 'valid');
  x = convBn(x, 32, 3, 3, 1, 'valid');
  x = maxPool(convBn(x, 64, 3, 3));
  x = convBn(x, 80, 1, 1, 1, 'valid');
  x = maxPool(convBn(x, 192, 3, 3, 1, 'valid'));
  x = block35(block35(block35(x, 32), 64), 64);
  const b3 = convBn(x, 384, 3, 3, 2, 'valid');
  const d3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid');
  x = concat([b3, d3, maxPool(x)]);
  for (const c of [128, 160, 160, 192]) x = block17(x, c);
  const b8 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 2, 'valid');
  let d8 = convBn(convBn(convBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
  d8 = convBn(d8, 192, 3, 3, 2, 'valid');
  x = concat([b8, d8, maxPool(x)]);
  x = block8(block8(x));
  const model = tfl.model({inputs: input, outputs: x, name: 'inception_v3'});
  const count = model.weights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
  if (count !== INCEPTION_V3_WEIGHTS)
    throw new Error(`InceptionV3 built with ${count} weights, Keras has ${INCEPTION_V3_WEIGHTS}`);
  return model;
}
