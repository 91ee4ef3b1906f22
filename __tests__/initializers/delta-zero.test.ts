import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {DeltaOrthogonal, InitializerError, ZerO, deltaOrthogonal, zerO} from '../../src';
import {centreIndex} from '../../src/initializers/centre-tap';
import {leakedTensors, take} from '../helpers/stats';

/** The [in, out] block at the centre tap, and the largest |value| anywhere else. */
function split(
  w: Float32Array,
  shape: number[],
  tap: 'lower' | 'upper',
): {centre: Float32Array; elsewhere: number} {
  const inC = shape[shape.length - 2];
  const out = shape[shape.length - 1];
  let offset = 0;
  for (let d = 0; d < shape.length - 2; d++)
    offset = offset * shape[d] + centreIndex(shape[d], tap);
  offset *= inC * out;
  let elsewhere = 0;
  for (let k = 0; k < w.length; k++)
    if (k < offset || k >= offset + inC * out) elsewhere = Math.max(elsewhere, Math.abs(w[k]));
  return {centre: w.slice(offset, offset + inC * out), elsewhere};
}

/** max |HHᵀ − gain²I| for H = [rows, cols] row-major. */
function rowError(h: Float32Array, rows: number, cols: number, gain: number): number {
  let err = 0;
  for (let a = 0; a < rows; a++)
    for (let b = a; b < rows; b++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += h[a * cols + j] * h[b * cols + j];
      err = Math.max(err, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  return err;
}

describe('DeltaOrthogonal (Xiao et al. 2018)', () => {
  it.each([
    [[3, 8, 8], 1, 'lower'],
    [[3, 3, 16, 32], 2, 'lower'],
    [[4, 4, 5, 12], 1, 'lower'],
    [[4, 2, 5, 12], 1, 'upper'],
    [[3, 3, 3, 6, 6], 0.5, 'lower'],
  ] as const)(
    'shape %j, gain %d, tap %s: gain·orthonormal rows at the centre, zeros elsewhere',
    (shape, gain, tap) => {
      const s = [...shape];
      const w = take(new DeltaOrthogonal({gain, tap, seed: 4}).apply(s));
      const {centre, elsewhere} = split(w, s, tap);
      expect(elsewhere).toBe(0);
      expect(rowError(centre, s[s.length - 2], s[s.length - 1], gain)).toBeLessThan(
        1e-5 * gain * gain,
      );
    },
  );

  it('a delta-orthogonal conv preserves the norm of every pixel (padding "same", stride 1)', () => {
    const x = tf.randomNormal([1, 5, 6, 4], 0, 1, 'float32', 2);
    const kernel = new DeltaOrthogonal({seed: 9}).apply([3, 3, 4, 10]);
    const y = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
    const nx = tf.norm(x, 'euclidean', -1).dataSync();
    const ny = tf.norm(y, 'euclidean', -1).dataSync();
    for (let i = 0; i < nx.length; i++) expect(ny[i]).toBeCloseTo(nx[i], 4);
    tf.dispose([x, kernel, y]);
  });

  it('is seeded, takes its centre from the orthogonal sampler, and rejects in > out, ranks and bad options', () => {
    expect(take(deltaOrthogonal({seed: 1}).apply([3, 3, 4, 4]))).toEqual(
      take(new DeltaOrthogonal({seed: 1}).apply([3, 3, 4, 4])),
    );
    expect(() => new DeltaOrthogonal().apply([3, 3, 8, 4])).toThrow(
      /DeltaOrthogonal: needs inChannels <= outChannels .* \(in 8 > out 4\)/,
    );
    expect(() => new DeltaOrthogonal().apply([8, 8])).toThrow(/rank 3, 4 or 5/);
    expect(() => new DeltaOrthogonal().apply([1, 1, 1, 1, 2, 2])).toThrow(/rank 3, 4 or 5/);
    expect(() => new DeltaOrthogonal({gain: 0})).toThrow(InitializerError);
    expect(leakedTensors(() => new DeltaOrthogonal().apply([3, 3, 2, 4]))).toBe(0);
  });
});

/** Sylvester Hadamard entry (−1)^popcount(i & j), built recursively as the paper defines it. */
function hadamard(m: number): number[][] {
  let h = [[1]];
  for (let k = 0; k < m; k++)
    h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((x) => -x)])];
  return h;
}

describe('ZerO (Zhao et al. 2021)', () => {
  it('Algorithm 1, P = Q: the identity; P < Q: the partial identity I* (kernel [in, out] = Wᵀ)', () => {
    expect(Array.from(take(new ZerO().apply([3, 3])))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // in = 4 > out = 2: W = I* (2 × 4), kernel = I*ᵀ.
    expect(Array.from(take(new ZerO().apply([4, 2])))).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
  });

  it.each([
    [3, 5],
    [2, 8],
    [5, 6],
    [1, 3],
    [100, 130],
  ])('Algorithm 1, P > Q (in %i → out %i): W = c·I*·H_m·I*, c = 2^(−(m−1)/2)', (inC, out) => {
    const w = take(new ZerO().apply([inC, out]));
    const m = Math.ceil(Math.log2(out));
    const c = 2 ** (-(m - 1) / 2);
    const h = hadamard(m);
    for (let j = 0; j < inC; j++)
      for (let i = 0; i < out; i++) expect(w[j * out + i]).toBe(Math.fround(c * h[i][j]));
  });

  it('when P is a power of two the columns of W are orthogonal: WᵀW = c²·2^m·I = 2I', () => {
    const [inC, out] = [5, 16];
    const w = take(new ZerO().apply([inC, out]));
    for (let a = 0; a < inC; a++)
      for (let b = 0; b < inC; b++) {
        let s = 0;
        for (let i = 0; i < out; i++) s += w[a * out + i] * w[b * out + i];
        expect(s).toBeCloseTo(a === b ? 2 : 0, 6);
      }
  });

  it('Algorithm 2: the dense matrix at the centre tap ⌊k/2⌋ of odd conv kernels, zeros elsewhere', () => {
    for (const shape of [
      [3, 4, 6],
      [3, 5, 6, 6],
      [3, 3, 3, 2, 4],
      [1, 1, 8, 4],
    ]) {
      const w = take(new ZerO().apply(shape));
      const {centre, elsewhere} = split(w, shape, 'lower');
      expect(elsewhere).toBe(0);
      expect(centre).toEqual(take(new ZerO().apply(shape.slice(-2))));
    }
    expect(() => new ZerO().apply([2, 2, 4, 4])).toThrow(
      /ZerO: ZerO on convolutions \(Algorithm 2\) is defined for odd kernel sizes only/,
    );
  });

  it('takes no options, round-trips, works by name and leaks nothing', async () => {
    expect(() => new ZerO({gain: 2} as never)).toThrow(
      /ZerO: unknown option `gain`. Allowed options: none/,
    );
    expect(() => new ZerO().apply([4])).toThrow(/rank >= 2/);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 6, inputShape: [3], kernelInitializer: 'ZerO'})],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer).toEqual({
      class_name: 'ZerO',
      config: {},
    });
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(take(zerO().apply([3, 6])));
    expect(leakedTensors(() => new ZerO().apply([3, 3, 4, 8]))).toBe(0);
  });
});

describe('DeltaOrthogonal: save/load', () => {
  it('round-trips gain, seed and tap', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({
          filters: 6,
          kernelSize: 4,
          inputShape: [10, 3],
          kernelInitializer: new DeltaOrthogonal({gain: 2, seed: 5, tap: 'upper'}),
        }),
      ],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer).toEqual({
      class_name: 'DeltaOrthogonal',
      config: {gain: 2, seed: 5, tap: 'upper'},
    });
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(
      model.layers[0].getWeights()[0].dataSync(),
    );
    const byName = tfl.sequential({
      layers: [
        tfl.layers.conv1d({
          filters: 4,
          kernelSize: 3,
          inputShape: [8, 2],
          kernelInitializer: 'DeltaOrthogonal',
        }),
      ],
    });
    expect(byName.layers[0].getWeights()[0].shape).toEqual([3, 2, 4]);
  });
});
