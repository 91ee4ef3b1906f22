/** The throwaway zeros of `replayBuild`'s layer copies (src/tools/placeholder-zeros.ts). */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {reinitialize} from '../../src/tools';
import {placeholderZeros} from '../../src/tools/placeholder-zeros';

describe('placeholderZeros', () => {
  it('gives zeros of any shape and dtype, float32 ones sharing one array (no memory per weight)', () => {
    const before = tf.memory().numTensors;
    const [a, b] = [placeholderZeros.apply([3, 4]), placeholderZeros.apply([5])];
    const ints = placeholderZeros.apply([2, 2], 'int32');
    expect(Array.from(a.dataSync())).toEqual(new Array(12).fill(0));
    expect(Array.from(b.dataSync())).toEqual(new Array(5).fill(0));
    expect([ints.dtype, Array.from(ints.dataSync())]).toEqual(['int32', [0, 0, 0, 0]]);
    if (tf.getBackend() === 'cpu') {
      const [va, vb] = [a.dataSync(), b.dataSync()] as Float32Array[];
      expect(va.buffer).toBe(vb.buffer);
    }
    tf.dispose([a, b, ints]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stays zero through reinitialize, whose copies use it and whose weights never do', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 64, inputShape: [32], biasInitializer: 'ones'}),
        tfl.layers.batchNormalization(),
      ],
    });
    // Each call after the first writes every weight in its own memory: were one of them a view of
    // the shared array, these writes would leave it non-zero.
    for (let i = 0; i < 3; i++) reinitialize(model);
    const probe = placeholderZeros.apply([64 * 32]);
    expect(Array.from(probe.dataSync()).every((x) => x === 0)).toBe(true);
    probe.dispose();
    model.dispose();
  });
});
