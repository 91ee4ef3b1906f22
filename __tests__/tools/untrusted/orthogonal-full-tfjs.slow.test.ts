/**
 * Issue 23, item 7, with the real full bundle: where `@tensorflow/tfjs` is loaded, tfjs's own
 * Orthogonal orthogonalizes with many small ops (minutes for [1024, 1024]); loadLayersModelSafely
 * draws such a weight with the package's Haar sampler instead, keeping tfjs's initializer in the
 * config. (The fast tier tests the same path by adding the one chained op tfjs checks for.)
 */
import * as tf from '@tensorflow/tfjs';
import {loadLayersModelSafely} from '../../../src/tools';

it('a topology-only Dense(1024) with Orthogonal loads without running tfjs Orthogonal', async () => {
  await tf.setBackend('cpu');
  const own = jest.spyOn(
    Object.getPrototypeOf(tf.initializers.orthogonal({})) as {apply: () => unknown},
    'apply',
  );
  const topology = {
    class_name: 'Sequential',
    config: {
      name: 's',
      layers: [
        {
          class_name: 'Dense',
          config: {
            name: 'd',
            units: 1024,
            batch_input_shape: [null, 1024],
            kernel_initializer: {class_name: 'Orthogonal', config: {gain: 1, seed: null}},
          },
        },
      ],
    },
  };
  const model = await loadLayersModelSafely({load: async () => ({modelTopology: topology})});
  expect(own).not.toHaveBeenCalled();
  const error = tf.tidy(() => {
    const k = model.getWeights()[0];
    return tf.max(tf.abs(tf.sub(tf.matMul(k, k, true, false), tf.eye(1024))));
  });
  expect(error.dataSync()[0]).toBeLessThan(1e-4);
  error.dispose();
  model.dispose();
  own.mockRestore();
});
