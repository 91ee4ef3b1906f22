/**
 * Initializer test cases and the models built around them — shared by the Node tests and the
 * browser harness page. Browser-safe: it imports tfjs types only (callers pass tfjs's functions in),
 * and nothing from the package itself, which the page must load from the browser bundle.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type {Initializer} from '@tensorflow/tfjs-layers/dist/initializers';

/** Layers the harness knows how to build around a kernel; `stft` is a Conv1D on a one-channel signal. */
export type LayerKind = 'dense' | 'conv1d' | 'conv2d' | 'conv3d' | 'stft';

/** What the tests need to rebuild and check one initializer (plain JSON, sent to the page). */
export interface InitializerCase {
  name: string;
  config: {[key: string]: number};
  kind: LayerKind;
  /** Kernel of the model layer built with the instance — small, shared shapes keep WebGL shader compiles few. */
  layerShape: number[];
  /** Shape of the direct `apply` whose values must be bit-identical everywhere. */
  valueShape: number[];
}

/** Seed every case uses when its class takes one, and the `setSeed` before each case model. */
export const CASE_SEED = 20240611;

/** Input shape (without the batch axis) of a model whose first layer is the case's layer. */
export function inputShapeFor(c: InitializerCase): number[] {
  const cin = c.layerShape[c.layerShape.length - 2];
  switch (c.kind) {
    case 'dense':
      return [cin];
    case 'conv1d':
      return [6, cin];
    case 'stft':
      return [16, cin];
    case 'conv2d':
      return [6, 6, cin];
    case 'conv3d':
      return [4, 4, 4, cin];
  }
}

/**
 * A Dense or Conv layer whose kernel has the case's `layerShape` (the first layer of a model, with
 * `inputShape`) or, as a later layer, the same shape with as many inputs as outputs.
 */
export function caseLayer(
  layers: typeof tfl.layers,
  c: InitializerCase,
  kernelInitializer: Initializer | string,
  first: boolean,
): tfl.layers.Layer {
  const s = c.layerShape;
  const units = s[s.length - 1];
  const input = first ? {inputShape: inputShapeFor(c)} : {};
  const common = {
    kernelInitializer,
    biasInitializer: 'ZeroBias',
    activation: 'tanh' as const,
    ...input,
  };
  switch (c.kind) {
    case 'dense':
      return layers.dense({...common, units});
    case 'conv1d':
    case 'stft':
      return layers.conv1d({...common, filters: units, kernelSize: s[0], padding: 'same'});
    case 'conv2d':
      return layers.conv2d({...common, filters: units, kernelSize: [s[0], s[1]], padding: 'same'});
    case 'conv3d':
      return layers.conv3d({
        ...common,
        filters: units,
        kernelSize: [s[0], s[1], s[2]],
        padding: 'same',
      });
  }
}

/** Index in {@link caseModel}'s layers of the layer whose initializer is given by string name. */
export function stringLayerIndex(c: InitializerCase): number {
  return c.kind === 'stft' ? 2 : 1;
}

/** What {@link caseModel} needs from tfjs: the same functions in Node and in a page. */
export interface LayersApi {
  sequential: typeof tfl.sequential;
  layers: typeof tfl.layers;
}

/**
 * The model the cross-backend tests build for a case: the case's layer with a seeded instance, the
 * same kind of layer with the class given by string name (default options, drawn from the
 * process-wide stream — call `setSeed` first for reproducible weights), and a Dense(2) head. An
 * `stft` layer wants one input channel, so a 1×1 Conv1D mixes the first one's bins back to one.
 */
export function caseModel(
  tf: LayersApi,
  make: (name: string, config: object) => Initializer,
  c: InitializerCase,
): tfl.Sequential {
  return tf.sequential({
    layers: [
      caseLayer(tf.layers, c, make(c.name, c.config), true),
      ...(c.kind === 'stft'
        ? [
            tf.layers.conv1d({
              filters: 1,
              kernelSize: 1,
              kernelInitializer: make('XavierUniformCustom', {seed: 5}),
              biasInitializer: 'ZeroBias',
            }),
          ]
        : []),
      caseLayer(tf.layers, c, c.name, false),
      ...(c.kind === 'dense' ? [] : [tf.layers.flatten()]),
      tf.layers.dense({
        units: 2,
        kernelInitializer: make('XavierUniformCustom', {seed: 3}),
        biasInitializer: 'ZeroBias',
      }),
    ],
  });
}

/** The `setSeed` before {@link defaultsModel} in Node and in the page. */
export const DEFAULTS_SEED = 20261130;

/**
 * A model of tfjs's own defaults only — no initializer named anywhere: Embedding (randomUniform),
 * LSTM and GRU (glorotUniform kernels, orthogonal recurrent kernels), Conv2D and Dense
 * (glorotUniform). After `setSeed`, its initial weights must be the same bits in Node and on every
 * browser backend.
 */
export function defaultsModel(tf: LayersApi): tfl.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.embedding({inputDim: 20, outputDim: 6, inputLength: 5}),
      tf.layers.lstm({units: 4, returnSequences: true}),
      tf.layers.gru({units: 3, returnSequences: true}),
      tf.layers.reshape({targetShape: [5, 3, 1]}),
      tf.layers.conv2d({filters: 3, kernelSize: 2}),
      tf.layers.flatten(),
      tf.layers.dense({units: 3}),
    ],
  });
}
