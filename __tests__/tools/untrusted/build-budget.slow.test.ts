/**
 * The dry build's time budget (`maxBuildSeconds`): a build that runs away is stopped at the next
 * layer call with an error of ours, leaving nothing behind. Slow tier: the limit is in whole
 * seconds, so the test needs a build of more than one.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {validateModelJSON} from '../../../src/tools';

/** A layer whose shape inference takes 600 ms (a stand-in for any build that runs away). */
class SlowLayer extends tfl.layers.Layer {
  static className = 'SlowLayerForBudgetTest';
  override computeOutputShape(shape: Array<number | null>): Array<number | null> {
    const until = performance.now() + 600;
    while (performance.now() < until) {
      // busy: the build does not return to the event loop
    }
    return shape;
  }
}
tf.serialization.registerClass(SlowLayer);

it('a build longer than maxBuildSeconds stops at the next layer call with our error', async () => {
  const layers = [0, 1, 2, 3].map((i) => ({
    class_name: 'SlowLayerForBudgetTest',
    config: {name: `slow${i}`, ...(i === 0 ? {batch_input_shape: [null, 3]} : {})},
  }));
  const json = {modelTopology: {class_name: 'Sequential', config: {name: 's', layers}}};
  const before = tf.memory().numTensors;
  // Each layer takes at least 600 ms: the deadline passes during the first or second one, so the
  // build stops at the next call, before the last layer.
  await expect(validateModelJSON(json, {maxBuildSeconds: 1})).rejects.toThrow(
    /tfjs took more than 1 s to build the model \(limit maxBuildSeconds\); it was at layer 'slow[12]'/,
  );
  expect(tf.memory().numTensors).toBe(before);
  await expect(validateModelJSON(json, {maxBuildSeconds: 10})).resolves.toBeDefined();
});
