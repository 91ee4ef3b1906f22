import type {Initializer, Layer} from '../core/tfjs';
import {toCamelCase} from '../core/camel-case';

/**
 * The role of every weight tfjs-layers 4.22 creates, by the name its layers give `addWeight`: the
 * layer option that initializes it, without `Initializer`. Checked against tfjs itself by
 * `__tests__/tools/weight-roles.test.ts`, which builds every layer class and finds the option by
 * identity (see `findRole`).
 *
 * | weight name | role | option | layers |
 * |---|---|---|---|
 * | `kernel` | `kernel` | `kernelInitializer` | Dense, Conv1D/2D/3D, Conv2DTranspose,
 * Conv3DTranspose, SimpleRNN/GRU/LSTM/ConvLSTM2D cells |
 * | `recurrent_kernel` | `recurrent` | `recurrentInitializer` | SimpleRNN, GRU, LSTM, ConvLSTM2D cells |
 * | `depthwise_kernel` | `depthwise` | `depthwiseInitializer` | DepthwiseConv2D, SeparableConv1D/2D |
 * | `pointwise_kernel` | `pointwise` | `pointwiseInitializer` | SeparableConv1D/2D |
 * | `bias` | `bias` | `biasInitializer` | all of the above |
 * | `gamma`, `beta` | `gamma`, `beta` | `gammaInitializer`, `betaInitializer` | BatchNormalization,
 * LayerNormalization |
 * | `moving_mean`, `moving_variance` | `movingMean`, `movingVariance` | `movingMeanInitializer`,
 * `movingVarianceInitializer` | BatchNormalization |
 * | `embeddings` | `embeddings` | `embeddingsInitializer` | Embedding |
 * | `alpha` | `alpha` | `alphaInitializer` | PReLU |
 */
export const WEIGHT_ROLES: Readonly<Record<string, WeightRole>> = Object.freeze({
  kernel: 'kernel',
  recurrent_kernel: 'recurrent',
  depthwise_kernel: 'depthwise',
  pointwise_kernel: 'pointwise',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'movingMean',
  moving_variance: 'movingVariance',
  embeddings: 'embeddings',
  alpha: 'alpha',
});

/** The roles of tfjs's own layers' weights (see {@link WEIGHT_ROLES}); custom layers may add others. */
export type WeightRole =
  | 'kernel'
  | 'recurrent'
  | 'depthwise'
  | 'pointwise'
  | 'bias'
  | 'gamma'
  | 'beta'
  | 'movingMean'
  | 'movingVariance'
  | 'embeddings'
  | 'alpha';

/** Every {@link WeightRole}, in the order of {@link WEIGHT_ROLES}. */
export const KNOWN_ROLES: readonly string[] = [...new Set(Object.values(WEIGHT_ROLES))];

/** Which option of a layer initializes one of its weights. */
export interface RoleOfWeight {
  /** The option without `Initializer`: `'kernel'`, `'recurrent'`, `'movingMean'`, ... */
  role: string;
  /** The option itself, a property of the layer: `'kernelInitializer'`, ... */
  option: string;
  /**
   * True when `build` did not pass the option's initializer to `addWeight` but one derived from it:
   * tfjs's LSTM and ConvLSTM2D with `unitForgetBias` wrap `biasInitializer` so that the forget-gate
   * quarter of the bias is ones.
   */
  derived: boolean;
}

const SUFFIX = 'Initializer';

function own(layer: Layer, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(layer, key)
    ? (layer as unknown as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Finds the option of `owner` (the layer or cell whose `build` created the weight) that initialized
 * the weight `name`, given the initializer `build` passed to `addWeight` (recorded by a replayed
 * build): the option holding that very object — `{@link WEIGHT_ROLES}[name]` first, then any
 * `…Initializer` property — or, when none holds it (a derived initializer), the option the name
 * implies. Null when neither exists.
 */
export function findRole(
  owner: Layer,
  name: string,
  initializer: Initializer,
): RoleOfWeight | null {
  const expected = Object.prototype.hasOwnProperty.call(WEIGHT_ROLES, name)
    ? WEIGHT_ROLES[name]
    : undefined;
  if (expected !== undefined && own(owner, `${expected}${SUFFIX}`) === initializer) {
    return {role: expected, option: `${expected}${SUFFIX}`, derived: false};
  }
  for (const key of Object.keys(owner)) {
    if ((key.endsWith(SUFFIX) || key === 'initializer') && own(owner, key) === initializer) {
      const role = key.slice(0, -SUFFIX.length);
      return {role: role === '' ? toCamelCase(name) : role, option: key, derived: false};
    }
  }
  if (expected !== undefined && own(owner, `${expected}${SUFFIX}`) !== undefined) {
    return {role: expected, option: `${expected}${SUFFIX}`, derived: true};
  }
  return null;
}
