import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  Dirac,
  Eye,
  IdentityInitializer,
  InitializerError,
  dirac,
  eye,
  identityInitializer,
} from '../../src';
import {centreIndex} from '../../src/initializers/centre-tap';
import {leakedTensors, take} from '../helpers/stats';

/** Row-major value of a kernel at an index tuple. */
function at(values: Float32Array, shape: number[], index: number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d] + index[d];
  return values[off];
}

/** Every index tuple of a shape. */
function* indices(shape: number[]): Generator<number[]> {
  const idx = new Array(shape.length).fill(0);
  const size = shape.reduce((p, d) => p * d, 1);
  for (let k = 0; k < size; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

describe('Eye', () => {
  it.each([[[4, 4]], [[3, 5]], [[5, 3]], [[1, 1]]])(
    'shape %j: gain on the diagonal, 0 elsewhere',
    (shape) => {
      const w = take(new Eye({gain: 2.5}).apply(shape));
      for (const [i, j] of indices(shape)) expect(at(w, shape, [i, j])).toBe(i === j ? 2.5 : 0);
    },
  );

  it('defaults to gain 1, has the Keras 3 alias IdentityInitializer, and a factory', () => {
    expect(Array.from(take(eye().apply([2, 3])))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(take(identityInitializer({gain: 3}).apply([3, 2]))).toEqual(
      take(new Eye({gain: 3}).apply([3, 2])),
    );
    expect(IdentityInitializer).toBe(Eye); // deprecated export: the same class
    const layer = tfl.layers.dense({
      units: 2,
      kernelInitializer: {className: 'IdentityInitializer', config: {gain: 2}} as never,
    });
    const loaded = (layer as unknown as {kernelInitializer: Eye}).kernelInitializer;
    expect(loaded).toBeInstanceOf(Eye); // Keras 3's name loads as Eye
    expect(loaded.getClassName()).toBe('Eye');
  });

  it('rejects non-matrices and bad gains, leaks nothing', () => {
    expect(() => new Eye().apply([2, 2, 2])).toThrow(
      /Eye: needs a matrix \[rows, cols\] \(rank 2\). Received: shape=\[2, 2, 2\]/,
    );
    expect(() => new Eye({gain: -1})).toThrow(/option `gain` must be a finite number > 0/);
    expect(leakedTensors(() => new Eye().apply([5, 5]))).toBe(0);
  });
});

describe('Dirac', () => {
  it('centre tap conventions: lower (k−1)/2 by default, upper k/2 on request; equal for odd k', () => {
    expect([1, 2, 3, 4, 5].map((k) => centreIndex(k, 'lower'))).toEqual([0, 0, 1, 1, 2]);
    expect([1, 2, 3, 4, 5].map((k) => centreIndex(k, 'upper'))).toEqual([0, 1, 1, 2, 2]);
  });

  it.each([
    [[3, 4, 4], 1, 'lower'],
    [[3, 3, 4, 6], 1, 'lower'],
    [[4, 4, 3, 2], 1, 'upper'],
    [[3, 3, 3, 4, 8], 2, 'lower'],
    [[2, 5, 2, 8], 4, 'upper'],
  ] as const)(
    'shape %j, groups %i, tap %s: a 1 at (centre, d, g·o + d) and nowhere else',
    (shape, groups, tap) => {
      const s = [...shape];
      const w = take(new Dirac({groups, tap}).apply(s));
      const rank = s.length;
      const centre = s.slice(0, -2).map((k) => centreIndex(k, tap));
      const inC = s[rank - 2];
      const o = s[rank - 1] / groups;
      let ones = 0;
      for (const idx of indices(s)) {
        const isCentre = idx.slice(0, -2).every((x, d) => x === centre[d]);
        const [i, c] = idx.slice(-2);
        const expected = isCentre && c % o === i && i < Math.min(o, inC) ? 1 : 0;
        expect(at(w, s, idx)).toBe(expected);
        ones += expected;
      }
      expect(ones).toBe(groups * Math.min(o, inC));
    },
  );

  it('makes a conv2d with padding "same" the identity — for even kernels too, with the default tap', () => {
    const x = tf.randomNormal([1, 6, 7, 3], 0, 1, 'float32', 1);
    for (const k of [3, 4]) {
      const kernel = new Dirac().apply([k, k, 3, 3]);
      const y = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
      expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBe(0);
      tf.dispose([kernel, y]);
    }
    // PyTorch's tap shifts the image by one pixel under tfjs's 'same' padding.
    const upper = new Dirac({tap: 'upper'}).apply([4, 4, 3, 3]);
    const shifted = tf.conv2d(x as tf.Tensor4D, upper as tf.Tensor4D, 1, 'same');
    expect(tf.max(tf.abs(tf.sub(shifted, x))).dataSync()[0]).toBeGreaterThan(0.1);
    tf.dispose([x, upper, shifted]);
  });

  it('rejects bad options and shapes, and leaks nothing', () => {
    expect(() => new Dirac({groups: 3}).apply([3, 3, 4, 8])).toThrow(
      /Dirac: the 8 output channels must split into `groups`=3 equal groups/,
    );
    expect(() => new Dirac().apply([4, 4])).toThrow(
      /Dirac: needs a convolution kernel \[...kernelSize, inChannels, outChannels\] of rank 3, 4 or 5/,
    );
    expect(() => new Dirac({tap: 'centre' as never})).toThrow(
      /option `tap` must be one of 'lower', 'upper'. Received: tap="centre"/,
    );
    expect(() => new Dirac({groups: 0})).toThrow(InitializerError);
    expect(leakedTensors(() => dirac({groups: 2}).apply([3, 3, 2, 4]))).toBe(0);
  });
});

describe('Eye / Dirac: names and save/load', () => {
  it.each([['Eye', new Eye({gain: 2}), [5, 7]]] as const)(
    '%s round-trips and works by name',
    async (name, init, _shape) => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({units: _shape[1], inputShape: [_shape[0]], kernelInitializer: init}),
        ],
      });
      const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
      expect(json.config.layers[0].config.kernel_initializer.class_name).toBe(name);
      const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
      expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(
        model.layers[0].getWeights()[0].dataSync(),
      );
      const byName = tfl.sequential({
        layers: [tfl.layers.dense({units: 2, inputShape: [2], kernelInitializer: name})],
      });
      expect(Array.from(byName.layers[0].getWeights()[0].dataSync())).toEqual([1, 0, 0, 1]);
    },
  );

  it('Dirac round-trips its tap and groups', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 2,
          inputShape: [5, 5, 2],
          kernelInitializer: new Dirac({groups: 2, tap: 'upper'}),
        }),
      ],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer).toEqual({
      class_name: 'Dirac',
      config: {groups: 2, tap: 'upper'},
    });
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(
      model.layers[0].getWeights()[0].dataSync(),
    );
  });
});
