import type {LayersModel, LayerVariable} from '@tensorflow/tfjs-layers';
import type {Initializer} from '../core/tfjs';
import {serialization, type DataType, type Variable} from '@tensorflow/tfjs-core';
import {checkLiveModel} from '../core/disposed';
import {BaseInitializer} from '../initializers/base';
import {writeInitializer} from '../initializers/write-values';
import {knownOptions, seed as seedOption} from '../core/options';
import {deriveSeed} from '../random/seed';
import {checkModel, leafLayers} from './graph';
import {replayBuild} from './rebuild';

/** Options of {@link reinitialize}. */
export interface ReinitializeOptions {
  /**
   * Integer in [0, 2^53 − 1]. Weight k of `model.weights` is drawn with seed `deriveSeed(seed, k)`,
   * which replaces the seed of its initializer (seeded or not). Without it, every initializer runs as
   * configured: unseeded ones of this package draw from the `setSeed` stream, seeded ones repeat
   * their values (the model returns to its initial weights), tfjs's unseeded ones use `Math.random`.
   */
  seed?: number;
}

/** What {@link reinitialize} did to one weight. */
export interface ReinitializedWeight {
  /** The weight's name, as in `model.weights`. */
  name: string;
  shape: number[];
  /** Class name of the initializer that produced the new value (`'VarianceScaling'`, `'XavierUniformCustom'`, ...). */
  initializer: string;
  /**
   * The seed used, or null when the initializer ran with its own configuration (no `seed` option,
   * or no seed given).
   */
  seed: number | null;
}

/** A copy of `init` with its `seed` replaced, or null when it takes no seed. */
export function reseeded(init: Initializer, seed: number): Initializer | null {
  const config = init.getConfig() as serialization.ConfigDict;
  if (!Object.prototype.hasOwnProperty.call(config, 'seed')) return null;
  const cls = init.constructor as serialization.SerializableConstructor<serialization.Serializable>;
  return cls.fromConfig(cls, {...config, seed}) as unknown as Initializer;
}

/**
 * Re-runs every layer's configured initializers and writes the new values into the model's
 * existing variables, in place: kernels, biases, recurrent kernels (RNN cells, wrapped in
 * `Bidirectional` or `TimeDistributed` too), depthwise/pointwise kernels, embeddings,
 * batch-normalization gamma/beta/moving statistics, PReLU alphas — every weight of every layer,
 * nested models included. tfjs has no way to reset a model's weights; this is it.
 *
 * How: each layer with weights is rebuilt once from its config, as `tf.loadLayersModel` would,
 * which tells exactly which initializer each of its weights uses (including tfjs's derived ones,
 * like the LSTM forget-gate bias); the initializer is then applied to the weight's shape and the
 * result written into the weight — into its own memory on the cpu and wasm backends for this
 * package's initializers, as PyTorch's in-place inits do, else by `assign` (same values either
 * way; constraints are not applied, as at construction). Layers and
 * initializers must therefore be registered with `tf.serialization` — the same condition as saving.
 *
 * Seeds (see {@link ReinitializeOptions.seed}): with `seed`, weight k of `model.weights` is drawn
 * by its initializer with `seed: deriveSeed(seed, k)` — reproducible, distinct per weight, and
 * different for different seeds; initializers without a `seed` option (zeros, ones, constants,
 * identity, tfjs's LSTM forget-bias wrapper) run unchanged. Without `seed`, initializers run as
 * configured.
 *
 * The optimizer's state (e.g. Adam moments) is not touched: compile again to reset it.
 * Leaves `tf.memory().numTensors` unchanged.
 *
 * @returns one entry per weight of `model.weights`, in that order.
 * @example
 * ```ts
 * await model.fit(xs, ys, {epochs: 3});
 * reinitialize(model, {seed: 7});   // back to a fresh, reproducible initialization
 * ```
 * @see PyTorch's `module.reset_parameters()`; Keras has no equivalent.
 */
export function reinitialize(
  model: LayersModel,
  options: ReinitializeOptions = {},
): ReinitializedWeight[] {
  checkModel('reinitialize', model);
  checkLiveModel('reinitialize', model);
  const seed =
    seedOption()(knownOptions('reinitialize', options, ['seed']).seed, 'reinitialize', 'seed') ??
    undefined;
  const index = new Map(model.weights.map((w, k) => [w.id, k]));
  // First plan every weight (where a layer that cannot be rebuilt, or an initializer that cannot
  // fill its weight, is found), then overwrite: a failure leaves every weight as it was.
  const plan: Array<{
    weight: LayerVariable;
    init: Initializer;
    dtype: DataType;
    k: number;
    seed: number | null;
  }> = [];
  for (const {layer} of leafLayers(model)) {
    if (layer.weights.length === 0) continue;
    const records = replayBuild('reinitialize', layer);
    layer.weights.forEach((weight, i) => {
      const k = index.get(weight.id);
      if (k === undefined) return; // a weight of a layer shared with another model only
      const {initializer, dtype} = records[i];
      const weightSeed = seed === undefined ? null : deriveSeed(seed, k);
      const chosen = weightSeed === null ? null : reseeded(initializer, weightSeed);
      const init = chosen ?? initializer;
      if (init instanceof BaseInitializer) init.validate(weight.shape, dtype);
      plan.push({weight, init, dtype, k, seed: chosen === null ? null : weightSeed});
    });
  }
  const report: ReinitializedWeight[] = new Array(model.weights.length);
  for (const {weight, init, dtype, k, seed: used} of plan) {
    const shape = weight.shape as number[];
    writeInitializer(weight.read() as Variable, init, dtype);
    report[k] = {
      name: weight.name,
      shape: [...shape],
      initializer: init.getClassName(),
      seed: used,
    };
  }
  return report.filter((r) => r !== undefined);
}
