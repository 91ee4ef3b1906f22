/**
 * setSeed reaches tfjs's unseeded random ops (random-ops.ts): the k-th one after setSeed(n) draws
 * exactly what tfjs draws with `seed = deriveSeed(n, k) / 2^53`, ops given their own seed keep
 * tfjs's behaviour, and the application's Math.random is never replaced nor consumed; through the
 * ops, every layer that draws at run time repeats after setSeed.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {clearSeed, deriveSeed, getDrawCount, setSeed, withSeed} from '../../../src';

afterEach(() => clearSeed());

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
/** tfjs's own `startScope` and `endScope`, taken before any seed is set. */
const TFJS_SCOPES = [tf.engine().startScope, tf.engine().endScope];
/** The explicit seed tfjs's op must be given to draw what the k-th unseeded op after setSeed(n) draws. */
const opSeed = (n: number, k: number): number => deriveSeed(n, k) / 2 ** 53;

const logits = tf.tensor2d([
  [0.1, 2, -1, 0.5],
  [1, 1, 1, 1],
]);
const x = tf.ones([3, 8]);

/** Each random op, called without a seed (undefined) or with one. */
const OPS: Array<[string, (seed?: number) => tf.Tensor]> = [
  ['randomUniform', (s) => tf.randomUniform([50], -2, 3, 'float32', s)],
  ['randomUniform int32', (s) => tf.randomUniform([50], 0, 9, 'int32', s)],
  ['randomUniformInt', (s) => tf.randomUniformInt([50], 0, 9, s)],
  ['randomNormal', (s) => tf.randomNormal([50], 1, 2, 'float32', s)],
  ['randomStandardNormal', (s) => tf.randomStandardNormal([50], 'float32', s)],
  ['truncatedNormal', (s) => tf.truncatedNormal([50], 0, 0.5, 'float32', s)],
  ['randomGamma', (s) => tf.randomGamma([50], 1.5, 2, 'float32', s)],
  ['multinomial', (s) => tf.multinomial(logits, 20, s)],
  ['dropout', (s) => tf.dropout(x, 0.5, undefined, s)],
];

describe("setSeed and tfjs's random ops", () => {
  it.each(OPS)(
    '%s: the k-th unseeded call after setSeed(n) is tfjs with seed deriveSeed(n, k)/2^53; a seeded call takes none',
    (_name, op) => {
      setSeed(31);
      values(tf.randomUniform([2])); // draw 0
      const drawn = values(op()); // draw 1
      expect(getDrawCount()).toBe(2);
      const explicit = values(op(opSeed(31, 1)));
      expect(getDrawCount()).toBe(2); // an explicit seed takes nothing from the stream
      expect(drawn).toEqual(explicit);
      setSeed(31);
      values(tf.randomUniform([2]));
      expect(values(op())).toEqual(drawn);
      setSeed(32);
      values(tf.randomUniform([2]));
      expect(values(op())).not.toEqual(drawn);
      clearSeed(); // unseeded again: tfjs's own behaviour, two calls differ
      expect(values(op())).not.toEqual(values(op()));
      expect(values(op(opSeed(31, 1)))).toEqual(explicit);
    },
  );

  it("never replaces the application's Math.random and never calls it while seeded", () => {
    const original = Math.random;
    const spy = jest.spyOn(Math, 'random');
    try {
      setSeed(5);
      expect(Math.random).toBe(spy);
      values(tf.randomNormal([10]));
      values(tf.dropout(x, 0.3));
      expect(Math.random).toBe(spy);
      expect(spy).not.toHaveBeenCalled();
      const own = Math.random(); // the application's own draws are its own
      expect(own).toBeGreaterThanOrEqual(0);
      clearSeed();
      values(tf.randomNormal([10])); // tfjs asks Math.random for its seed again
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect(Math.random).toBe(original);
  });

  it('an op that throws inside its scope leaves Math.random and the engine as they were', () => {
    const original = Math.random;
    setSeed(5);
    // tfjs asks for the seed, then fails allocating -2 samples.
    expect(() => tf.multinomial(logits, -2)).toThrow(RangeError);
    expect(Math.random).toBe(original);
    expect(values(tf.randomUniform([3]))).toEqual(
      values(tf.randomUniform([3], 0, 1, 'float32', opSeed(5, 1))),
    );
  });

  it('withSeed routes the ops inside it and puts the stream back', () => {
    setSeed(9);
    const inside = withSeed(4, () => values(tf.randomNormal([6])));
    expect(getDrawCount()).toBe(0);
    expect(inside).toEqual(values(tf.randomNormal([6], 0, 1, 'float32', opSeed(4, 0))));
    clearSeed();
    const unseeded = withSeed(4, () => {
      expect(tf.engine().startScope).not.toBe(TFJS_SCOPES[0]); // wrapped inside withSeed
      return values(tf.randomNormal([6]));
    });
    expect(unseeded).toEqual(inside);
    const engineClass = Object.getPrototypeOf(tf.engine()) as {
      startScope: unknown;
      endScope: unknown;
    };
    expect(tf.engine().startScope).toBe(engineClass.startScope);
    expect(Object.getOwnPropertySymbols(engineClass)).toEqual([]); // nothing of the package's left
  });
});

/** Each layer that draws at run time, and an input for it. */
const LAYERS: Array<[string, () => tfl.layers.Layer, number[]]> = [
  ['Dropout', () => tfl.layers.dropout({rate: 0.4}), [4, 10]],
  ['SpatialDropout1D', () => tfl.layers.spatialDropout1d({rate: 0.4}), [4, 5, 6]],
  ['AlphaDropout', () => tfl.layers.alphaDropout({rate: 0.3}), [4, 10]],
  ['GaussianDropout', () => tfl.layers.gaussianDropout({rate: 0.3}), [4, 10]],
  ['GaussianNoise', () => tfl.layers.gaussianNoise({stddev: 0.5}), [4, 10]],
  ['SimpleRNN dropout + recurrentDropout', () => rnn('simpleRNN'), [2, 3, 4]],
  ['GRU dropout + recurrentDropout', () => rnn('gru'), [2, 3, 4]],
  ['LSTM dropout + recurrentDropout', () => rnn('lstm'), [2, 3, 4]],
];

function rnn(kind: 'simpleRNN' | 'gru' | 'lstm'): tfl.layers.Layer {
  return tfl.layers[kind]({units: 3, dropout: 0.4, recurrentDropout: 0.4});
}

describe('setSeed and the layers that draw while training', () => {
  it.each(LAYERS)(
    '%s: the training-mode output repeats after setSeed, differs with another seed or without one',
    (_name, make, shape) => {
      const input = tf.randomUniform(shape, 0.5, 1.5, 'float32', 3);
      const run = (seed: number | null): number[] => {
        if (seed !== null) setSeed(seed);
        const layer = make();
        const out = layer.apply(input, {training: true}) as tf.Tensor;
        const inference = values(layer.apply(input) as tf.Tensor);
        expect(values(out)).not.toEqual(inference); // it did draw
        return values(layer.apply(input, {training: true}) as tf.Tensor);
      };
      const a = run(8);
      expect(run(8)).toEqual(a);
      expect(run(9)).not.toEqual(a);
      clearSeed();
      expect(run(null)).not.toEqual(run(null));
      input.dispose();
    },
  );

  it("a Dropout with its own seed keeps tfjs's draw and takes nothing from the stream", () => {
    const input = tf.ones([4, 10]);
    const drop = (): number[] =>
      values(tfl.layers.dropout({rate: 0.5, seed: 77}).apply(input, {training: true}) as tf.Tensor);
    const unseeded = drop();
    setSeed(1);
    expect(drop()).toEqual(unseeded);
    expect(getDrawCount()).toBe(0);
    input.dispose();
  });
});
