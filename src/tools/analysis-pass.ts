import {clone, dispose, ones, zeros, type Tensor, type Variable} from '@tensorflow/tfjs-core';
import type {Layer} from '../core/tfjs';
import {deriveSeed} from '../random/seed';
import type {ModelGraph} from './graph';

/**
 * Runs `run` with the model's layers prepared for one analysed pass — "as in a training step"
 * when `training` is true — that leaves the model exactly as it was:
 *
 * - `BatchNormalization({scale: false})` (or `center: false`) is lent a constant γ = 1 (β = 0) for
 *   the pass, which is what the layer means: tfjs 4.22 reads the missing weight in training mode
 *   and throws a raw TypeError, and under a gradient tape its inference path hands `null` to a
 *   kernel that saves its inputs and throws too (every Keras InceptionV3 has such layers);
 * - in training mode, batch normalization's moving mean and variance, which a training-mode call
 *   updates, are copied first and put back afterwards, and `Dropout` layers without a seed get
 *   `deriveSeed(seed, k)` for the pass, so two runs drop the same units.
 *
 * Everything is undone in `finally`, also when `run` throws.
 */
export function withAnalysisPass<T>(
  graph: ModelGraph,
  options: {training: boolean; seed: number},
  run: () => T,
): T {
  const undo: Array<() => void> = [];
  const seen = new Set<Layer>();
  let dropouts = 0;
  try {
    for (const node of graph.nodes) {
      const layer = node.layer;
      if (seen.has(layer)) continue;
      seen.add(layer);
      if (node.className === 'BatchNormalization') {
        const bn = layer as unknown as {
          gamma?: unknown;
          beta?: unknown;
          scale?: boolean;
          center?: boolean;
        };
        if (options.training) {
          const saved = layer.nonTrainableWeights.map((w) => ({
            variable: w.read() as Variable,
            value: clone(w.read()),
          }));
          undo.push(() => {
            for (const {variable, value} of saved) variable.assign(value);
            dispose(saved.map((s) => s.value));
          });
        }
        const size = (layer.nonTrainableWeights[0]?.shape as number[] | undefined) ?? [];
        for (const [field, flag, fill] of [
          ['gamma', 'scale', ones],
          ['beta', 'center', zeros],
        ] as const) {
          if (bn[flag] !== false || (bn[field] !== undefined && bn[field] !== null)) continue;
          const had = Object.prototype.hasOwnProperty.call(bn, field);
          const before = bn[field];
          bn[field] = {read: (): Tensor => fill(size)};
          undo.push(() => {
            if (had) bn[field] = before;
            else delete bn[field];
          });
        }
      }
      if (options.training && /Dropout/.test(node.className)) {
        const d = layer as unknown as {seed?: number | null};
        const before = d.seed;
        if (before === undefined || before === null) {
          d.seed = deriveSeed(options.seed, 1000 + dropouts++);
          undo.push(() => {
            d.seed = before;
          });
        }
      }
    }
    return run();
  } finally {
    for (const u of undo.reverse()) u();
  }
}
