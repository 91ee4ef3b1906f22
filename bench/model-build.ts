/**
 * The backend benchmark's measurement, shared by Node and the browser page: how long it takes to
 * build a ~5M-parameter MLP whose kernels and biases come from our initializers or from tfjs's
 * built-ins. Browser-safe: tfjs and the initializers are passed in, nothing is imported.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type {Initializer} from '@tensorflow/tfjs-layers/dist/initializers';

/** Layer widths: 1024 → 2048 → 1024 → 784, i.e. 5,000,976 parameters. */
export const WIDTHS = [1024, 2048, 1024, 784];

/** Parameters of the benchmark model (kernels + biases). */
export const PARAMS = WIDTHS.slice(1).reduce((n, w, i) => n + WIDTHS[i] * w + w, 0);

/** The tfjs functions the measurement uses. */
export interface BenchTf {
  sequential: typeof tfl.sequential;
  layers: typeof tfl.layers;
  zeros: typeof tfc.zeros;
  dispose: typeof tfc.dispose;
  memory: typeof tfc.memory;
}

/** One way to initialize: a fresh kernel and bias initializer per layer. */
export interface Variant {
  label: string;
  kernel: () => Initializer;
  bias: () => Initializer;
}

/** Median and the individual runs, in milliseconds. */
export interface Timing {
  label: string;
  buildMs: number[];
  readyMs: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median of a list of milliseconds. */
export function medianMs(xs: number[]): number {
  return median(xs);
}

function build(tf: BenchTf, v: Variant): tfl.Sequential {
  return tf.sequential({
    layers: WIDTHS.slice(1).map((units, i) =>
      tf.layers.dense({
        units,
        kernelInitializer: v.kernel(),
        biasInitializer: v.bias(),
        ...(i === 0 ? {inputShape: [WIDTHS[0]]} : {}),
      }),
    ),
  });
}

/**
 * Times `runs` builds of each variant, interleaved (A B, B A, ...) after one untimed warm-up of each.
 * `buildMs`: constructing the model (every initializer runs, every weight exists). `readyMs`: that
 * plus one prediction on a single input and reading it back, so every weight has reached the
 * backend (uploaded to the GPU or copied into WASM memory) — first-use costs such as shader
 * compilation are paid in the warm-up.
 */
export async function timeBuilds(
  tf: BenchTf,
  variants: Variant[],
  runs: number,
  now: () => number,
): Promise<Timing[]> {
  const timings = variants.map((v) => ({
    label: v.label,
    buildMs: [] as number[],
    readyMs: [] as number[],
  }));
  for (let r = -1; r < runs; r++) {
    const order =
      r % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
    for (const i of order) {
      const before = tf.memory().numTensors;
      const t0 = now();
      const model = build(tf, variants[i]);
      const t1 = now();
      const x = tf.zeros([1, WIDTHS[0]]);
      const y = model.predict(x) as tfc.Tensor;
      await y.data();
      const t2 = now();
      tf.dispose([x, y]);
      model.dispose();
      if (tf.memory().numTensors !== before)
        throw new Error(`${variants[i].label}: the benchmark leaked tensors`);
      if (r >= 0) {
        timings[i].buildMs.push(t1 - t0);
        timings[i].readyMs.push(t2 - t0);
      }
    }
  }
  return timings;
}
