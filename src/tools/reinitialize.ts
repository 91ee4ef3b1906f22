import {initializers, type LayersModel} from '@tensorflow/tfjs-layers';
import {interceptAddWeight} from './add-weight';
import type {Initializer, Layer} from '../core/tfjs';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import {serialization, tidy, type DataType, type Variable} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {knownOptions, seed as seedOption} from '../core/options';
import {deriveSeed} from '../random/seed';
import {checkModel, isContainer} from './graph';
import {runnable} from './runnable';

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
  /** The seed used, or null when the initializer ran with its own configuration (no `seed` option, or no seed given). */
  seed: number | null;
}

/** Recorded during a replayed build: which initializer each created weight asked for. */
interface Recorded {
  variable: LayerVariable;
  initializer: Initializer;
  dtype: DataType;
}

/**
 * Builds a fresh copy of `layer` from its config (the path `model.json` loading takes) and records,
 * for each weight its `build` creates, the initializer it asked for. The copy's own weights are
 * filled with zeros (cheap) and disposed; the real values are drawn afterwards, weight by weight.
 */
function replayBuild(layer: Layer): Recorded[] {
  const name = layer.getClassName();
  const entry = serialization.SerializationMap.getMap().classNameMap[name];
  if (entry === undefined) {
    throw new InitializerError('reinitialize', 'model', `layer '${layer.name}' has class '${name}', which is not registered with tf.serialization; register it to reinitialize it`);
  }
  const node = layer.inboundNodes[0];
  if (node === undefined) {
    throw new InitializerError('reinitialize', 'model', `layer '${layer.name}' has weights but was never called, so its input shape is unknown`);
  }
  const recorded: Recorded[] = [];
  const zeros = initializers.zeros();
  let copy: Layer;
  try {
    copy = interceptAddWeight(
      (call, create) => {
        const variable = create(zeros);
        recorded.push({variable, initializer: call.initializer ?? zeros, dtype: call.dtype ?? 'float32'});
        return variable;
      },
      () => {
        const [cls, fromConfig] = entry;
        const built = fromConfig(cls, layer.getConfig() as serialization.ConfigDict) as unknown as Layer;
        // tfjs 4.22's SeparableConv2D leaves `depthMultiplier` out of its config (so a saved model
        // reloads with multiplier 1); carry it over so the copy's weights have the original's shapes.
        const multiplier = (layer as unknown as {depthMultiplier?: unknown}).depthMultiplier;
        if (typeof multiplier === 'number') (built as unknown as {depthMultiplier: number}).depthMultiplier = multiplier;
        built.build(node.inputShapes);
        return built;
      },
    );
  } catch (e) {
    for (const r of recorded) r.variable.dispose();
    if (e instanceof InitializerError) throw e;
    throw new InitializerError('reinitialize', 'model', `could not rebuild layer '${layer.name}' (${name}) from its config: ${(e as Error).message}`);
  }
  // Order the records as the copy lists its weights, which is how the original lists them.
  const byId = new Map(recorded.map((r) => [r.variable.id, r]));
  const ordered = copy.weights.map((w) => byId.get(w.id));
  for (const r of recorded) r.variable.dispose();
  if (ordered.length !== layer.weights.length || ordered.some((r, i) => r === undefined || !sameShape(r.variable.shape, layer.weights[i].shape))) {
    throw new InitializerError('reinitialize', 'model', `rebuilding layer '${layer.name}' (${name}) from its config gave different weights than it has`);
  }
  return ordered as Recorded[];
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A copy of `init` with its `seed` replaced, or null when it takes no seed. */
function reseeded(init: Initializer, seed: number): Initializer | null {
  init = runnable(init);
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
 * result assigned to the weight (constraints are not applied, as at construction). Layers and
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
export function reinitialize(model: LayersModel, options: ReinitializeOptions = {}): ReinitializedWeight[] {
  checkModel('reinitialize', model);
  const seed = seedOption()(knownOptions('reinitialize', options, ['seed']).seed, 'reinitialize', 'seed') ?? undefined;
  const index = new Map(model.weights.map((w, k) => [w.id, k]));
  const report: ReinitializedWeight[] = new Array(model.weights.length);
  const visit = (container: LayersModel): void => {
    for (const layer of container.layers as Layer[]) {
      if (isContainer(layer)) {
        visit(layer);
        continue;
      }
      if (layer.weights.length === 0) continue;
      const records = replayBuild(layer);
      layer.weights.forEach((weight, i) => {
        const k = index.get(weight.id);
        if (k === undefined) return; // a weight of a layer shared with another model only
        const {initializer, dtype} = records[i];
        const weightSeed = seed === undefined ? null : deriveSeed(seed, k);
        const chosen = weightSeed === null ? null : reseeded(initializer, weightSeed);
        const init = runnable(chosen ?? initializer);
        const shape = weight.shape as number[];
        tidy(() => {
          const value = init.apply(shape, dtype);
          (weight.read() as Variable).assign(value);
        });
        report[k] = {name: weight.name, shape: [...shape], initializer: init.getClassName(), seed: chosen === null ? null : weightSeed};
      });
    }
  };
  visit(model);
  return report.filter((r) => r !== undefined);
}
