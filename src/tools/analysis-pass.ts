import {
  add,
  clone,
  dispose,
  moments,
  mul,
  ones,
  reshape,
  rsqrt,
  sub,
  tidy,
  zeros,
  type Tensor,
  type Variable,
} from '@tensorflow/tfjs-core';
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
 *   `deriveSeed(seed, k)` for the pass, so two runs drop the same units;
 * - in training mode, a BatchNormalization over another axis than the last (channels-first
 *   models: `axis: 1`) normalizes with plain ops for the pass — the same (x − mean)/√(var + ε)·γ + β
 *   over the batch — because the gradient of tfjs 4.22's broadcast batch normalization fails
 *   ("Size(65536) must match the product of shape 1,64,1,1").
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
        if (options.training) undo.push(channelsFirstBatchNorm(layer));
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

/** The fields of a tfjs BatchNormalization layer this module reads. */
interface BatchNormFields {
  axis?: number | number[];
  epsilon?: number;
  scale?: boolean;
  center?: boolean;
  gamma?: {read(): Tensor} | null;
  beta?: {read(): Tensor} | null;
  call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[];
}

/**
 * Gives a BatchNormalization whose axis is not the input's last a training-mode `call` made of
 * plain ops (moments over the other axes, then (x − mean)/√(var + ε)·γ + β), whose gradients tfjs
 * computes; returns the undo. Layers normalizing the last axis are left alone (a no-op undo).
 */
function channelsFirstBatchNorm(layer: Layer): () => void {
  const bn = layer as unknown as BatchNormFields;
  const rank = (layer.inputSpec?.[0]?.ndim as number | undefined) ?? null;
  const axis = typeof bn.axis === 'number' ? bn.axis : null;
  if (rank === null || axis === null || axis === -1 || axis === rank - 1) return () => undefined;
  const original = Object.prototype.hasOwnProperty.call(bn, 'call') ? bn.call : undefined;
  bn.call = (inputs, kwargs) => {
    if (kwargs.training !== true) return Object.getPrototypeOf(bn).call.call(bn, inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tidy(() => {
      const along = axis < 0 ? axis + x.rank : axis;
      const others = [...Array(x.rank).keys()].filter((a) => a !== along);
      const shape = x.shape.map((d, a) => (a === along ? d : 1));
      const {mean, variance} = moments(x, others, true);
      let y = mul(sub(x, mean), rsqrt(add(variance, bn.epsilon ?? 1e-3)));
      if (bn.scale !== false && bn.gamma != null) y = mul(y, reshape(bn.gamma.read(), shape));
      if (bn.center !== false && bn.beta != null) y = add(y, reshape(bn.beta.read(), shape));
      return y;
    });
  };
  return () => {
    if (original === undefined) delete (bn as {call?: unknown}).call;
    else bn.call = original;
  };
}
