import type {LayersModel} from '@tensorflow/tfjs-layers';
import {checkLiveModel} from '../core/disposed';
import {knownOptions, seed as seedOption} from '../core/options';
import {checkModel} from './graph';
import {findSites} from './weight-sites';
import {writeChoices} from './write-plan';

const OWNER = 'reinitialize';

/** Options of {@link reinitialize}. */
export interface ReinitializeOptions {
  /**
   * Integer in [0, 2^53 − 1]. Weight k of `model.weights` is drawn with seed `deriveSeed(seed, k)`,
   * which replaces the seed of its initializer (seeded or not) **in the layer's option too**, so a
   * model saved afterwards reproduces every value on a load without weights. Weights that share one
   * saved option (the two directions of a `Bidirectional`) share the seed of the first of them, as
   * a reload draws them. Without it, every initializer runs as configured: unseeded ones of this
   * package draw from the `setSeed` stream, seeded ones repeat their values (the model returns to
   * its initial weights), tfjs's unseeded ones use `Math.random`; the options are not changed.
   */
  seed?: number;
}

/** What {@link reinitialize} did to one weight. */
export interface ReinitializedWeight {
  /** The weight's name, as in `model.weights`. */
  name: string;
  shape: number[];
  /**
   * Class name of the initializer option that produced the new value (`'VarianceScaling'`,
   * `'XavierUniformCustom'`, ...; for tfjs's LSTM forget-gate bias, the `biasInitializer` it wraps).
   */
  initializer: string;
  /**
   * The seed used, or null when the initializer ran with its own configuration (no `seed` option,
   * or no seed given).
   */
  seed: number | null;
  /**
   * Whether the model's saved config reproduces the new value bit for bit on a load without
   * weights: the draw was seeded (and the option carries the seed) or draws nothing random (zeros,
   * constants, identities). False for an unseeded draw: its option carries no seed.
   */
  reproducible: boolean;
}

/**
 * Re-runs every layer's configured initializers and writes the new values into the model's
 * existing variables, in place: kernels, biases, recurrent kernels (RNN cells, wrapped in
 * `Bidirectional` or `TimeDistributed` too), depthwise/pointwise kernels, embeddings,
 * batch-normalization gamma/beta/moving statistics, PReLU alphas — every weight of every layer,
 * nested models included. tfjs has no way to reset a model's weights; this is it.
 *
 * How: each layer with weights is rebuilt from its config, as `tf.loadLayersModel` would, which
 * tells exactly which initializer option each of its weights uses (including tfjs's derived ones,
 * like the LSTM forget-gate bias); with a seed the options are reseeded and the layer is rebuilt
 * once more, from the config it will save; every value is drawn by exactly the initializer that
 * rebuild used — what a load of the saved model without weights draws — and only then are the
 * values written (into each weight's own memory on cpu and wasm for this package's initializers,
 * else by `assign`; constraints are not applied, as at construction) and the options set. Layers
 * and initializers must therefore be registered with `tf.serialization` — the condition for saving.
 *
 * Seeds (see {@link ReinitializeOptions.seed}): with `seed`, weight k of `model.weights` is drawn
 * by its initializer with `seed: deriveSeed(seed, k)`, and the layer's option carries that seed
 * from then on — reproducible, from the values and from a saved config alike, distinct per weight,
 * and different for different seeds; initializers without a `seed` option (zeros, ones, constants,
 * identity) run unchanged. Without `seed`, initializers run as configured; an unseeded one's value
 * is then not reproducible from the config ({@link ReinitializedWeight.reproducible}).
 *
 * All or nothing: on any error the model's values and options are as before. Values that cannot be
 * drawn in place exist beside the old ones until they are assigned. The optimizer's state (e.g. Adam moments) is not
 * touched: compile again to reset it. Leaves `tf.memory().numTensors` unchanged.
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
  checkModel(OWNER, model);
  checkLiveModel(OWNER, model);
  const seed =
    seedOption()(knownOptions(OWNER, options, ['seed']).seed, OWNER, 'seed') ?? undefined;
  const found = findSites(OWNER, model);
  const choices = found.sites.map((site) => ({site, initializer: site.saved, by: 'own' as const}));
  return writeChoices(OWNER, found, choices, seed).map((r) => ({
    name: r.site.weight.name,
    shape: [...(r.site.weight.shape as number[])],
    initializer: r.from.getClassName(),
    seed: r.seed,
    reproducible: r.reproducible,
  }));
}
