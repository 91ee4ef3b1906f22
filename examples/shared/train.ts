import * as tf from '@tensorflow/tfjs';
import type {DigitSet} from './mnist-data';

/** The digits as tensors: pixels [n, 784] and one-hot labels [n, 10]. */
export function tensors(set: DigitSet): {x: tf.Tensor2D; y: tf.Tensor2D} {
  return {
    x: tf.tensor2d(set.x, [set.n, 784]),
    y: tf.oneHot(tf.tensor1d(set.labels, 'int32'), 10) as tf.Tensor2D,
  };
}

/** What one training run measured. */
export interface Run {
  /** Training loss of every batch, in order. */
  batchLoss: number[];
  /** Per epoch: mean training loss and test accuracy. */
  epochs: Array<{loss: number; accuracy: number}>;
}

/**
 * Trains a compiled classifier for `epochs` epochs (no shuffling: the digits are interleaved by
 * class, so every batch holds every class) and evaluates on the test set after each.
 */
export async function train(
  model: tf.LayersModel,
  data: {x: tf.Tensor; y: tf.Tensor; xt: tf.Tensor; yt: tf.Tensor},
  epochs: number,
  batchSize: number,
  label: string,
): Promise<Run> {
  const run: Run = {batchLoss: [], epochs: []};
  for (let e = 1; e <= epochs; e++) {
    const t0 = Date.now();
    const history = await model.fit(data.x, data.y, {
      epochs: 1,
      batchSize,
      shuffle: false,
      verbose: 0,
      callbacks: {onBatchEnd: async (_b, logs) => void run.batchLoss.push(logs?.loss ?? NaN)},
    });
    const [, acc] = (model.evaluate(data.xt, data.yt) as tf.Scalar[]).map((s) => s.dataSync()[0]);
    const loss = history.history.loss[0] as number;
    run.epochs.push({loss, accuracy: acc});
    console.log(
      `  [${label}] epoch ${e}/${epochs}: loss ${loss.toFixed(3)}, ` +
        `test accuracy ${(100 * acc).toFixed(1)}% ` +
        `(${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  return run;
}

/** Loss curves as per-layer-chart points: mean loss over windows of `window` batches. */
export function smoothed(
  run: Run,
  series: string,
  window: number,
): Array<{index: number; layer: string; series: string; value: number}> {
  const out: Array<{index: number; layer: string; series: string; value: number}> = [];
  for (let s = 0; s + window <= run.batchLoss.length; s += window) {
    const slice = run.batchLoss.slice(s, s + window);
    out.push({
      index: s + window,
      layer: `batches ${s + 1}–${s + window}`,
      series,
      value: slice.reduce((a, b) => a + b, 0) / window,
    });
  }
  return out;
}
