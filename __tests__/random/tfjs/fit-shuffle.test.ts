/**
 * setSeed reaches model.fit's per-epoch shuffle (fit-shuffle.ts): the batches come in the order
 * the docs state — epoch e's order is the previous one shuffled by shuffleLikeTfjs with the
 * stream's next seed — while `shuffle: false` draws nothing and validationSplit stays tfjs's
 * deterministic cut. The order is read off the losses: with a zero model, a zero learning rate and
 * batch size 1, sample i (target i) has loss i².
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {clearSeed, deriveSeed, getDrawCount, setSeed} from '../../../src';
import {shuffleLikeTfjs} from '../../../src/random/permutation';

afterEach(() => clearSeed());

const N = 10;

/** Fits a model that learns nothing and returns, per epoch, the samples in the order fit used them. */
async function batchOrder(
  args: {shuffle?: boolean; validationSplit?: number} = {},
): Promise<{order: number[][]; valLoss: number[]}> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 1,
        inputShape: [2],
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros',
      }),
    ],
  });
  model.compile({optimizer: tf.train.sgd(0), loss: 'meanSquaredError'});
  const x = tf.ones([N, 2]);
  const y = tf.reshape(tf.range(0, N), [N, 1]);
  const order: number[][] = [];
  const history = await model.fit(x, y, {
    ...args,
    epochs: 3,
    batchSize: 1,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => void order.push([]),
      onBatchEnd: async (_batch, logs) =>
        void order[order.length - 1].push(Math.sqrt(logs?.loss as number)),
    },
  });
  tf.dispose([x, y]);
  model.dispose();
  return {order, valLoss: (history.history.val_loss ?? []).map(Number)};
}

describe("setSeed and model.fit's shuffle", () => {
  it("epoch e's order is the previous one shuffled with the stream's e-th seed (tfjs's algorithm)", async () => {
    setSeed(404);
    const {order} = await batchOrder();
    expect(getDrawCount()).toBe(3); // one seed per epoch; the zero initializers draw none
    const expected = Int32Array.from({length: N}, (_, i) => i);
    order.forEach((epoch, e) => {
      shuffleLikeTfjs(expected, deriveSeed(404, e));
      expect(epoch).toEqual(Array.from(expected));
    });
    expect(order[1]).not.toEqual(order[0]);
    setSeed(404);
    expect((await batchOrder()).order).toEqual(order);
    setSeed(405);
    expect((await batchOrder()).order).not.toEqual(order);
  });

  it('shuffle: false keeps 0…n−1 and draws nothing; validationSplit is the last samples, as in tfjs', async () => {
    setSeed(404);
    const unshuffled = await batchOrder({shuffle: false});
    expect(unshuffled.order).toEqual([0, 1, 2].map(() => Array.from({length: N}, (_, i) => i)));
    expect(getDrawCount()).toBe(0);
    const split = await batchOrder({validationSplit: 0.2});
    expect(
      split.order.every((epoch) => [...epoch].sort((a, b) => a - b).join() === '0,1,2,3,4,5,6,7'),
    ).toBe(true);
    expect(split.valLoss).toEqual([72.5, 72.5, 72.5]); // samples 8 and 9: (8² + 9²) / 2
  });

  it("after clearSeed fit shuffles with tfjs's own code again, and fitLoop and makeTensor are tfjs's", async () => {
    const fitLoop = tfl.LayersModel.prototype.fitLoop;
    const makeTensor = tf.engine().makeTensor;
    const engineClass = Object.getPrototypeOf(tf.engine()) as object;
    const descriptor = Object.getOwnPropertyDescriptor(engineClass, 'makeTensor');
    const ownNames = Object.getOwnPropertyNames(tf.engine());
    setSeed(1);
    expect(tfl.LayersModel.prototype.fitLoop).not.toBe(fitLoop);
    clearSeed();
    expect(tfl.LayersModel.prototype.fitLoop).toBe(fitLoop);
    expect(tf.engine().makeTensor).toBe(makeTensor);
    expect(Object.getOwnPropertyDescriptor(engineClass, 'makeTensor')).toEqual(descriptor);
    expect(Object.getOwnPropertyNames(tf.engine())).toEqual(ownNames); // the engine itself untouched
    const [a, b] = [(await batchOrder()).order, (await batchOrder()).order];
    expect(a).not.toEqual(b); // 10!³ orders: equal by chance with probability below 1e-19
  });
});
