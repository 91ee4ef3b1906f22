import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  OrthogonalInitializer,
  fillOrthogonal,
  orthogonalInitializer,
} from '../../src';
import {useLinalgSimd} from '../../src/linalg/workspace';
import {leakedTensors, take} from '../helpers/stats';

/** max |WᵀW − gain²I| (r ≥ c) or |WWᵀ − gain²I| (r < c) over a block of columns, in float64. */
function orthogonalityError(
  w: Float32Array,
  rows: number,
  cols: number,
  gain: number,
  col0 = 0,
  width = cols,
): number {
  const tall = rows >= width;
  const n = Math.min(rows, width);
  let err = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      if (tall) for (let i = 0; i < rows; i++) s += w[i * cols + col0 + a] * w[i * cols + col0 + b];
      else for (let j = 0; j < width; j++) s += w[a * cols + col0 + j] * w[b * cols + col0 + j];
      err = Math.max(err, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  }
  return err;
}

describe('OrthogonalInitializer', () => {
  it.each([
    [[64, 64], 1],
    [[100, 30], 2],
    [[30, 100], 1],
    [[3, 3, 8, 16], 1.5],
    [[7, 5], 1],
    [[1, 9], 1],
    [[9, 1], 1],
    [[33, 97], 0.5],
    [[512, 512], 1],
  ])('shape %j, gain %d: orthonormal columns or rows to float32 precision', (shape, gain) => {
    const cols = shape[shape.length - 1];
    const rows = shape.reduce((p, d) => p * d, 1) / cols;
    const w = take(new OrthogonalInitializer({gain, seed: 5}).apply(shape));
    expect(orthogonalityError(w, rows, cols, gain)).toBeLessThan(1e-5 * gain * gain);
  });

  it('is Haar: every entry of a random 3×3 and 5×3 has mean 0 and variance 1/n; E[tr W] = 0, E[(tr W)²] = 1', () => {
    // A QR without the sign correction fails this: its diagonal is biased towards +.
    const samples = 4000;
    for (const [rows, cols] of [
      [3, 3],
      [5, 3],
      [3, 5],
    ]) {
      const m = Math.max(rows, cols);
      const sum = new Float64Array(rows * cols);
      const sq = new Float64Array(rows * cols);
      let tr = 0;
      let tr2 = 0;
      const w = new Float32Array(rows * cols);
      for (let s = 0; s < samples; s++) {
        fillOrthogonal(w, rows, cols, 1, 7000 + s);
        let t = 0;
        for (let k = 0; k < w.length; k++) {
          sum[k] += w[k];
          sq[k] += w[k] * w[k];
        }
        for (let i = 0; i < Math.min(rows, cols); i++) t += w[i * cols + i];
        tr += t;
        tr2 += t * t;
      }
      const se = Math.sqrt(1 / m / samples);
      for (let k = 0; k < w.length; k++) {
        expect(Math.abs(sum[k] / samples)).toBeLessThan(5 * se);
        // Var(W_ij²) = E[W⁴] − 1/m² = 3/(m(m+2)) − 1/m².
        expect(Math.abs(sq[k] / samples - 1 / m)).toBeLessThan(
          5 * Math.sqrt((3 / (m * (m + 2)) - 1 / (m * m)) / samples),
        );
      }
      if (rows === cols) {
        expect(Math.abs(tr / samples)).toBeLessThan(5 * Math.sqrt(1 / samples));
        expect(Math.abs(tr2 / samples - 1)).toBeLessThan(0.1);
      }
    }
  });

  it('gates: each gate block of a recurrent kernel [units, gates·units] is orthogonal on its own', () => {
    const units = 32;
    const w = take(
      new OrthogonalInitializer({gates: 4, gain: 1.2, seed: 8}).apply([units, 4 * units]),
    );
    for (let g = 0; g < 4; g++) {
      expect(orthogonalityError(w, units, 4 * units, 1.2, g * units, units)).toBeLessThan(1e-5);
      // Orthogonal both ways: the block's columns too.
      let s = 0;
      for (let i = 0; i < units; i++) s += w[i * 4 * units + g * units] ** 2;
      expect(s).toBeCloseTo(1.44, 5);
    }
    // Without gates the whole wide matrix has orthonormal rows, and its blocks are not orthogonal.
    const whole = take(new OrthogonalInitializer({gain: 1.2, seed: 8}).apply([units, 4 * units]));
    expect(orthogonalityError(whole, units, 4 * units, 1.2)).toBeLessThan(1e-5);
    expect(orthogonalityError(whole, units, 4 * units, 1.2, 0, units)).toBeGreaterThan(0.1);
    // Input kernel [in, 3·units] with tall blocks: orthonormal columns per block.
    const input = take(new OrthogonalInitializer({gates: 3, seed: 9}).apply([64, 48]));
    for (let g = 0; g < 3; g++)
      expect(orthogonalityError(input, 64, 48, 1, g * 16, 16)).toBeLessThan(1e-5);
    expect(() => new OrthogonalInitializer({gates: 3}).apply([8, 32])).toThrow(
      /OrthogonalInitializer: the last axis \(32\) must split into `gates`=3 equal blocks/,
    );
  });

  it(
    'the WebAssembly SIMD (float32) and JavaScript (float64 ' +
      'arithmetic) kernels agree to float32 accumulation error',
    () => {
      expect(useLinalgSimd(true)).toBe(true); // Node has WebAssembly SIMD: both kernels really run
      const simd = take(new OrthogonalInitializer({seed: 12}).apply([150, 70]));
      expect(useLinalgSimd(false)).toBe(false);
      try {
        const js = take(new OrthogonalInitializer({seed: 12}).apply([150, 70]));
        let diff = 0;
        for (let i = 0; i < js.length; i++) diff = Math.max(diff, Math.abs(js[i] - simd[i]));
        // Same draws, same reflectors; the SIMD kernel rounds every product to float32 (u = 6e-8),
        // so the two differ by the accumulated rounding of 70 reflectors: a few u·√150, not more.
        expect(diff).toBeLessThan(2e-6);
        expect(diff).toBeGreaterThan(0); // really two kernels
        expect(orthogonalityError(js, 150, 70, 1)).toBeLessThan(1e-5);
        expect(orthogonalityError(simd, 150, 70, 1)).toBeLessThan(1e-5);
      } finally {
        useLinalgSimd(true);
      }
    },
  );

  it('is seeded (seed 0 too), different without a seed, and leak-free', () => {
    const init = new OrthogonalInitializer({seed: 0});
    const a = take(init.apply([20, 20]));
    expect(take(init.apply([20, 20]))).toEqual(a);
    expect(take(orthogonalInitializer({seed: 0}).apply([20, 20]))).toEqual(a);
    const unseeded = new OrthogonalInitializer();
    expect(take(unseeded.apply([20, 20]))).not.toEqual(take(unseeded.apply([20, 20])));
    expect(leakedTensors(() => new OrthogonalInitializer({gates: 2}).apply([16, 32]))).toBe(0);
  });

  it('rejects bad options and shapes before allocating', () => {
    expect(() => new OrthogonalInitializer({gain: 0})).toThrow(
      /OrthogonalInitializer: option `gain` must be a finite number > 0. Received: gain=0/,
    );
    expect(() => new OrthogonalInitializer({gates: 0})).toThrow(
      /option `gates` must be an integer >= 1. Received: gates=0/,
    );
    expect(() => new OrthogonalInitializer({gates: 1.5})).toThrow(InitializerError);
    expect(() => new OrthogonalInitializer({scale: 1} as never)).toThrow(
      /unknown option `scale`. Allowed options: `gain`, `seed`, `gates`, `columnAxis`/,
    );
    expect(() => new OrthogonalInitializer({columnAxis: 0.5})).toThrow(
      /option `columnAxis` must be an integer \(an axis; negative counts from the end\). Received: columnAxis=0.5/,
    );
    const before = tf.memory().numTensors;
    expect(() => new OrthogonalInitializer({columnAxis: 3}).apply([4, 5, 6])).toThrow(
      /option `columnAxis` must be an axis of shape=\[4, 5, 6\]: an integer in \[-3, 2\]. Received: columnAxis=3/,
    );
    expect(() => new OrthogonalInitializer({columnAxis: 0, gates: 4}).apply([6, 8])).toThrow(
      /axis 0 \(columnAxis\) \(6\) must split into `gates`=4 equal blocks/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new OrthogonalInitializer().apply([10])).toThrow(/shape must have rank >= 2/);
  });

  it("columnAxis is JAX's column_axis: the last-axis matrix of the other axes in order, with that axis moved", () => {
    // JAX: Q (rows = the other axes in order, cols = shape[c]) reshaped to shape without c, plus c
    // last, then moveaxis(-1, c). So the result with columnAxis c, moved back to the end, is the
    // default (columnAxis −1) result for the permuted shape: the same seed gives the same numbers.
    const cases: Array<[number[], number, number[]]> = [
      [[6, 3, 4], 0, [1, 2, 0]],
      [[4, 10, 5], 1, [0, 2, 1]],
      [[4, 10, 5], -2, [0, 2, 1]],
      [[7, 2, 3, 5], 2, [0, 1, 3, 2]],
    ];
    for (const [shape, columnAxis, perm] of cases) {
      const moved = tf.tidy(() =>
        tf.transpose(
          new OrthogonalInitializer({columnAxis, gain: 1.5, seed: 8}).apply(shape),
          perm,
        ),
      );
      const permuted = perm.map((p) => shape[p]);
      expect(take(moved)).toEqual(
        take(new OrthogonalInitializer({gain: 1.5, seed: 8}).apply(permuted)),
      );
      const c = columnAxis < 0 ? columnAxis + shape.length : columnAxis;
      const cols = shape[c];
      const w = take(
        tf.tidy(() =>
          tf.transpose(new OrthogonalInitializer({columnAxis, seed: 9}).apply(shape), perm),
        ),
      );
      expect(orthogonalityError(w, w.length / cols, cols, 1)).toBeLessThan(1e-5);
    }
    expect(take(new OrthogonalInitializer({columnAxis: 2, seed: 3}).apply([3, 4, 5]))).toEqual(
      take(new OrthogonalInitializer({seed: 3}).apply([3, 4, 5])),
    );
  });

  it('string name, save/load, and the Keras 3 config {gain, seed}', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 12,
          inputShape: [12],
          kernelInitializer: new OrthogonalInitializer({gain: 2, seed: 3, gates: 3}),
        }),
      ],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer).toEqual({
      class_name: 'OrthogonalInitializer',
      config: {gain: 2, seed: 3, gates: 3}, // column_axis -1 is the default
    });
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(
      model.layers[0].getWeights()[0].dataSync(),
    );
    json.config.layers[0].config.kernel_initializer = {
      module: 'keras.initializers',
      class_name: 'OrthogonalInitializer',
      config: {gain: 1.0, seed: 42},
      registered_name: null,
    };
    const keras = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(keras.layers[0].getWeights()[0].dataSync()).toEqual(
      take(new OrthogonalInitializer({seed: 42}).apply([12, 12])),
    );
    const rnn = tfl.sequential({
      layers: [
        tfl.layers.simpleRNN({
          units: 8,
          inputShape: [3, 4],
          recurrentInitializer: 'OrthogonalInitializer',
        }),
      ],
    });
    expect(
      orthogonalityError(rnn.layers[0].getWeights()[1].dataSync() as Float32Array, 8, 8, 1),
    ).toBeLessThan(1e-5);
  });
});
