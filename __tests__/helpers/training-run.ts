/**
 * The reproducible-training scenario of issue 19, shared by the Node tests (fast tier on cpu and
 * wasm, the two-process check of the slow tier) and the browser harness page. Browser-safe: it
 * imports tfjs types only (callers pass tfjs's functions in) and nothing of the package.
 *
 * A small net with every run-time source of randomness a Keras-style model has — Dense, Dropout,
 * GaussianNoise and an LSTM with `dropout` and `recurrentDropout` — trained with `model.fit`
 * (shuffle left at its default, `validationSplit`, 3 epochs) and then with `model.fitDataset` over
 * a `tf.data` pipeline that shuffles without a seed (3 epochs). The data itself is drawn with
 * explicit seeds, so it is the same in every run whatever the stream does.
 */
import type * as TF from '@tensorflow/tfjs';

/** The part of the `@tensorflow/tfjs` namespace the scenario uses (tfjs-core + tfjs-layers + tf.data). */
export type TrainingTfjs = Pick<
  typeof TF,
  | 'sequential'
  | 'layers'
  | 'train'
  | 'randomUniform'
  | 'tidy'
  | 'unstack'
  | 'dispose'
  | 'sum'
  | 'reshape'
  | 'div'
> & {data: Pick<typeof TF.data, 'array' | 'zip'>};

/** The seed the headline runs use. */
export const TRAINING_SEED = 1234;

/** What one run gives: per-epoch losses and the final weights' bits. */
export interface TrainingRun {
  /** `model.fit`: training loss per epoch. */
  fitLoss: number[];
  /** `model.fit`: validation loss per epoch (the `validationSplit` part). */
  fitValLoss: number[];
  /** `model.fitDataset` over the shuffled `tf.data` pipeline: loss per epoch (none without it). */
  datasetLoss: number[];
  /** Every final weight, as the uint32 bits of its float32 values. */
  weightBits: number[][];
}

const SAMPLES = 16;
const STEPS = 4;
const FEATURES = 3;

/** Dense → Dropout → GaussianNoise → LSTM(dropout, recurrentDropout) → Dense, compiled with Adam. */
export function trainingModel(tf: TrainingTfjs): TF.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({units: 6, activation: 'relu', inputShape: [STEPS, FEATURES]}),
      tf.layers.dropout({rate: 0.25}),
      tf.layers.gaussianNoise({stddev: 0.1}),
      tf.layers.lstm({units: 4, dropout: 0.2, recurrentDropout: 0.2}),
      tf.layers.dense({units: 1}),
    ],
  });
  model.compile({optimizer: tf.train.adam(0.02), loss: 'meanSquaredError'});
  return model;
}

/** The float32 bits of a tensor's values. */
function bitsOf(values: Float32Array | Int32Array | Uint8Array): number[] {
  const f = Float32Array.from(values as Float32Array);
  return Array.from(new Uint32Array(f.buffer));
}

/**
 * One training run as a user writes it: build, `fit`, then `fitDataset` (left out with
 * `{dataset: false}`, for cheaper checks that need only some difference). Call `setSeed` (or not)
 * before it; it draws nothing from the stream before building the model.
 */
export async function trainingRun(
  tf: TrainingTfjs,
  {dataset: withDataset = true}: {dataset?: boolean} = {},
): Promise<TrainingRun> {
  const model = trainingModel(tf);
  const x = tf.randomUniform([SAMPLES, STEPS, FEATURES], -1, 1, 'float32', 11);
  const y = tf.tidy(() => tf.div(tf.reshape(tf.sum(x, [1, 2]), [SAMPLES, 1]), 4));
  const fit = await model.fit(x, y, {epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0});
  let datasetLoss: number[] = [];
  if (withDataset) {
    const [xs, ys] = [tf.unstack(x), tf.unstack(y)];
    const dataset = tf.data
      .zip({xs: tf.data.array(xs), ys: tf.data.array(ys)})
      .shuffle(SAMPLES)
      .batch(8);
    datasetLoss = (await model.fitDataset(dataset, {epochs: 3, verbose: 0})).history.loss.map(
      Number,
    );
    tf.dispose([...xs, ...ys]);
  }
  const weightBits = model.getWeights().map((w) => bitsOf(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return {
    fitLoss: fit.history.loss.map(Number),
    fitValLoss: fit.history.val_loss.map(Number),
    datasetLoss,
    weightBits,
  };
}
