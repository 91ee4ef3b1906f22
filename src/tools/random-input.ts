import {tensor, type Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {sizeOf} from '../core/tensor-args';
import {fillNormal, randomIndex} from '../random/samplers';

/**
 * A random batch for input `index` of `model`, of `shape` ([batch, ...the input's dims]), drawn
 * from the seeded stream (seed, stream `index`), so each input of a model gets its own values:
 * integer ids in [0, inputDim) when the input feeds an Embedding (element k:
 * `randomIndex(seed, index, k, inputDim)`), else N(0, 1) values. What `tfjs-init doctor` and
 * `reinit --lsuv` feed a model when no `--input` file is given. The caller checks the shape and
 * its size; internal (not exported).
 *
 * @example
 * ```ts
 * const xs = randomInput(model, 0, [32, 784], 7);   // N(0, 1), stream 0 of seed 7
 * ```
 */
export function randomInput(
  model: LayersModel,
  index: number,
  shape: number[],
  seed: number,
): Tensor {
  const n = sizeOf(shape);
  const feeds = model.inputs[index].sourceLayer.outboundNodes.map((node) => node.outboundLayer);
  const embedding = feeds.find((l) => l.getClassName() === 'Embedding');
  if (embedding !== undefined) {
    const vocabulary = (embedding.getConfig() as {inputDim: number}).inputDim;
    const ids = new Float32Array(n);
    for (let k = 0; k < n; k++) ids[k] = randomIndex(seed, index, k, vocabulary);
    return tensor(ids, shape);
  }
  const values = new Float32Array(n);
  fillNormal(values, seed, index, 0, 1);
  return tensor(values, shape);
}
