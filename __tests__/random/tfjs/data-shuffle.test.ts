/**
 * setSeed reaches tf.data's `Dataset.shuffle` without a seed (data-shuffle.ts): the k-th such call
 * after setSeed(n) is tfjs's shuffle with seed `String(deriveSeed(n, k))`, every epoch of the
 * pipeline repeats, and a shuffle with its own seed keeps tfjs's behaviour.
 */
import * as tfd from '@tensorflow/tfjs-data';
import {clearSeed, deriveSeed, getDrawCount, setSeed} from '../../../src';
import {trainingPatches} from '../../../src/random/tfjs';

afterEach(() => clearSeed());

const ITEMS = Array.from({length: 40}, (_, i) => i);

/** Two passes over a shuffled pipeline (tfjs reshuffles each iteration). */
async function twoEpochs(dataset: tfd.Dataset<number>): Promise<number[][]> {
  return [await dataset.toArray(), await dataset.toArray()];
}

describe("setSeed and tf.data's shuffle", () => {
  it("the k-th unseeded shuffle() is tfjs's shuffle with seed String(deriveSeed(n, k)); epochs repeat", async () => {
    setSeed(66);
    tfd.array(ITEMS).shuffle(5); // draw 0, when the pipeline is built
    const pipeline = tfd.array(ITEMS).shuffle(10); // draw 1
    expect(getDrawCount()).toBe(2);
    const seeded = await twoEpochs(pipeline);
    expect(getDrawCount()).toBe(2); // iterating takes nothing more
    expect(seeded[1]).not.toEqual(seeded[0]); // reshuffled each epoch, as tfjs does
    expect(seeded[0]).not.toEqual(ITEMS);
    const explicit = tfd.array(ITEMS).shuffle(10, String(deriveSeed(66, 1)));
    expect(await twoEpochs(explicit)).toEqual(seeded);
    setSeed(66);
    tfd.array(ITEMS).shuffle(5);
    expect(await twoEpochs(tfd.array(ITEMS).shuffle(10))).toEqual(seeded);
    setSeed(67);
    tfd.array(ITEMS).shuffle(5);
    expect(await twoEpochs(tfd.array(ITEMS).shuffle(10))).not.toEqual(seeded);
  });

  it("a shuffle with its own seed keeps tfjs's order and takes nothing; clearSeed gives shuffle back", async () => {
    const own = await twoEpochs(tfd.array(ITEMS).shuffle(10, 'mine'));
    const shuffle = tfd.Dataset.prototype.shuffle;
    const descriptor = Object.getOwnPropertyDescriptor(tfd.Dataset.prototype, 'shuffle');
    setSeed(3);
    expect(trainingPatches()).toContain('Dataset.prototype.shuffle');
    expect(await twoEpochs(tfd.array(ITEMS).shuffle(10, 'mine'))).toEqual(own);
    expect(getDrawCount()).toBe(0);
    expect(() => tfd.array(ITEMS).shuffle(-1)).toThrow(/bufferSize/);
    expect(getDrawCount()).toBe(0);
    clearSeed();
    expect(tfd.Dataset.prototype.shuffle).toBe(shuffle);
    expect(Object.getOwnPropertyDescriptor(tfd.Dataset.prototype, 'shuffle')).toEqual(descriptor);
  });
});

describe('without @tensorflow/tfjs-data (tfjs-core + tfjs-layers alone)', () => {
  it('setSeed and clearSeed work and patch the rest', () => {
    jest.isolateModules(() => {
      jest.doMock('@tensorflow/tfjs-data', () => {
        throw new Error("Cannot find module '@tensorflow/tfjs-data'");
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../../../src') as typeof import('../../../src');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tfjs = require('../../../src/random/tfjs') as typeof import('../../../src/random/tfjs');
      lib.setSeed(1);
      expect(tfjs.trainingPatches()).toEqual([
        'engine.startScope',
        'engine.endScope',
        'engine.makeTensor',
        'LayersModel.prototype.fitLoop',
      ]);
      lib.clearSeed();
      expect(tfjs.trainingPatches()).toEqual([]);
    });
  });
});
