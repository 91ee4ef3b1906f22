import {initializers} from '@tensorflow/tfjs-layers';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import {serialization, type DataType} from '@tensorflow/tfjs-core';
import {interceptAddWeight} from '../weights/add-weight';
import {placeholderZeros} from './placeholder-zeros';
import type {Initializer, Layer} from '../core/tfjs';
import {InitializerError} from '../core/errors';
import {ownValue} from '../core/own';

/** What a replayed build learned about one weight of the layer. */
export interface ReplayedWeight {
  /**
   * The initializer the weight's `addWeight` call received (tfjs's derived ones included, e.g. the
   * LSTM forget-bias wrapper).
   */
  initializer: Initializer;
  dtype: DataType;
  /** The name `build` gave `addWeight`: `'kernel'`, `'recurrent_kernel'`, `'moving_mean'`, ... */
  name: string;
  /** The layer of the copy whose `build` created it: the copy itself, a wrapped layer or an RNN cell. */
  owner: Layer;
  /** The copy (dispose nothing: its variables are already disposed). */
  copy: Layer;
}

/**
 * Builds a fresh copy of `layer` from its config (the path `model.json` loading takes) and records,
 * for each weight its `build` creates, the initializer it asked for and the (inner) layer that
 * asked. The copy's own weights are zeros that cost no memory each (`placeholderZeros`) and are
 * disposed before this returns; the results are in the order of `layer.weights`.
 *
 * Used by every writer (`findSites`: which option initializes each weight? `writeChoices`: what
 * does the config a layer will save draw?). Layers must be registered with
 * `tf.serialization`, the condition for saving a model anyway.
 *
 * @param owner the public function, for error messages.
 * @param config the config to build the copy from; default `layer.getConfig()`. `writeChoices`
 * passes the one the layer will save after a change, to draw exactly what a reload draws.
 */
export function replayBuild(
  owner: string,
  layer: Layer,
  config?: serialization.ConfigDict,
): ReplayedWeight[] {
  const name = layer.getClassName();
  const construct = copier(owner, layer);
  const node = layer.inboundNodes[0];
  if (node === undefined) {
    throw new InitializerError(
      owner,
      'model',
      `layer '${layer.name}' has weights but was never called, so its input shape is unknown`,
    );
  }
  const recorded: Array<Omit<ReplayedWeight, 'copy'> & {variable: LayerVariable}> = [];
  const zeros = initializers.zeros();
  let copy: Layer;
  try {
    copy = interceptAddWeight(
      (call, create) => {
        const variable = create(placeholderZeros);
        recorded.push({
          variable,
          initializer: call.initializer ?? zeros,
          dtype: call.dtype ?? 'float32',
          name: call.name,
          owner: call.layer,
        });
        return variable;
      },
      () => {
        const built = construct(config);
        built.build(node.inputShapes);
        return built;
      },
    );
  } catch (e) {
    for (const r of recorded) r.variable.dispose();
    if (e instanceof InitializerError) throw e;
    throw new InitializerError(
      owner,
      'model',
      `could not rebuild layer '${layer.name}' (${name}) from its config: ${(e as Error).message}`,
    );
  }
  // Order the records as the copy lists its weights, which is how the original lists them.
  const byId = new Map(recorded.map((r) => [r.variable.id, r]));
  const ordered = copy.weights.map((w) => byId.get(w.id));
  for (const r of recorded) r.variable.dispose();
  if (
    ordered.length !== layer.weights.length ||
    ordered.some((r, i) => r === undefined || !sameShape(r.variable.shape, layer.weights[i].shape))
  ) {
    throw new InitializerError(
      owner,
      'model',
      `rebuilding layer '${layer.name}' (${name}) from its config gave different weights than it has`,
    );
  }
  return (ordered as typeof recorded).map(
    ({initializer, dtype, name: weightName, owner: inner}) => ({
      initializer,
      dtype,
      name: weightName,
      owner: inner,
      copy,
    }),
  );
}

/**
 * A function that constructs copies of `layer` from a config (default: its own) the way a load
 * does, through the class registered under its name — unbuilt, so nothing is allocated.
 * tfjs 4.22's SeparableConv2D leaves `depthMultiplier` out of its config (so a saved model reloads
 * with multiplier 1); the copies carry it over, so that their weights have the original's shapes.
 *
 * @throws InitializerError when the layer's class is not registered with `tf.serialization`.
 */
export function copier(owner: string, layer: Layer): (config?: serialization.ConfigDict) => Layer {
  const name = layer.getClassName();
  const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, name);
  if (entry === undefined) {
    throw new InitializerError(
      owner,
      'model',
      `layer '${layer.name}' has class '${name}', which is not ` +
        `registered with tf.serialization; register it (saving the ` +
        `model needs that too)`,
    );
  }
  const [cls, fromConfig] = entry;
  return (config) => {
    const copy = fromConfig(
      cls,
      config ?? (layer.getConfig() as serialization.ConfigDict),
    ) as unknown as Layer;
    const multiplier = (layer as unknown as {depthMultiplier?: unknown}).depthMultiplier;
    if (typeof multiplier === 'number')
      (copy as unknown as {depthMultiplier: number}).depthMultiplier = multiplier;
    return copy;
  };
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
