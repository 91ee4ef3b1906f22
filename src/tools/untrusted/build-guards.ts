import {serialization} from '@tensorflow/tfjs-core';
import {RNN} from '@tensorflow/tfjs-layers';
import {TfLayer, type Layer} from '../../core/tfjs';
import {ownValue} from '../../core/own';

/**
 * Guards around tfjs's synchronous build of a model in the dry build, besides `addWeight` (which
 * `interceptAddWeight` replaces):
 *
 * - **States.** tfjs allocates a stateful RNN's state tensors while it builds the layer
 *   (`RNN.build` → `resetStates()`, zeros of `[batch, size]` for every size of `cell.stateSize` —
 *   every cell of a `StackedRNNCells` — and of the output's shape for `ConvLSTM2D`). It decides
 *   with `if (this.stateful)`, so any truthy value counts. During the dry build `resetStates`
 *   reports the shapes it would allocate instead of allocating them: the layer stays exactly as
 *   tfjs sees it, and the count is exactly what tfjs would create.
 * - **Time.** Every layer call (`Layer.apply`) and every state and weight request checks a
 *   deadline, so a build that runs away is stopped with an error instead of running forever.
 *   (A loop inside tfjs that calls none of these cannot be interrupted from the same thread; the
 *   graph check refuses, before the build, the inputs known to cause one.)
 */

interface RnnLike {
  inputSpec?: Array<{shape?: Array<number | null>}>;
  cell?: {stateSize?: number | number[]};
  computeSingleOutputShape?: (shape: Array<number | null>) => Array<number | null>;
}

type ResetStates = (this: RnnLike, states?: unknown, training?: boolean) => void;
type Apply = (this: Layer, ...args: unknown[]) => unknown;

const rnnPrototype = RNN.prototype as unknown as {resetStates: ResetStates};

/** ConvRNN2D (ConvLSTM2D's base), which tfjs does not export: its states take the output's shape. */
function convRnnPrototype(): {resetStates: ResetStates} | null {
  const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, 'ConvLSTM2D');
  if (entry === undefined) return null;
  const proto = Object.getPrototypeOf((entry[0] as {prototype: object}).prototype) as object;
  return Object.prototype.hasOwnProperty.call(proto, 'resetStates')
    ? (proto as {resetStates: ResetStates})
    : null;
}

/** The shapes of the state tensors tfjs's `resetStates` would create for `layer` now. */
export function stateShapes(layer: RnnLike, conv: boolean): Array<Array<number | null>> {
  const inputShape = layer.inputSpec?.[0]?.shape ?? [];
  const size = layer.cell?.stateSize;
  const sizes = Array.isArray(size) ? size : [size as number];
  if (conv) {
    const out = (
      layer.computeSingleOutputShape as NonNullable<RnnLike['computeSingleOutputShape']>
    )(inputShape);
    const shape = [out[0], ...out.slice(2)];
    return sizes.map(() => [...shape]);
  }
  return sizes.map((dim) => [inputShape[0], dim]);
}

/** What the guards report to the dry build. */
export interface BuildGuardHooks {
  /** A stateful RNN layer would now allocate state tensors of these shapes. */
  states: (layer: Layer, shapes: Array<Array<number | null>>) => void;
  /** Called at every layer call and state request: throws when the build has run too long. */
  tick: (layer: Layer) => void;
}

/**
 * Runs `run` (synchronously) with the guards installed, and restores tfjs's methods afterwards,
 * also when `run` throws. Only the synchronous part of `run` is guarded, as with
 * `interceptAddWeight`.
 */
export function withBuildGuards<T>(hooks: BuildGuardHooks, run: () => T): T {
  const conv = convRnnPrototype();
  const layerPrototype = TfLayer.prototype as unknown as {apply: Apply};
  const originals = {
    rnn: rnnPrototype.resetStates,
    conv: conv?.resetStates,
    apply: layerPrototype.apply,
  };
  const guard = (original: ResetStates, isConv: boolean): ResetStates =>
    function resetStates(this: RnnLike, states?: unknown, training?: boolean): void {
      hooks.tick(this as unknown as Layer);
      // Given states, or a batch size tfjs does not know (it refuses that before allocating): tfjs's own.
      if (states != null || this.inputSpec?.[0]?.shape?.[0] == null)
        return original.call(this, states, training);
      hooks.states(this as unknown as Layer, stateShapes(this, isConv));
    };
  rnnPrototype.resetStates = guard(originals.rnn, false);
  if (conv !== null) conv.resetStates = guard(originals.conv as ResetStates, true);
  layerPrototype.apply = function apply(this: Layer, ...args: unknown[]): unknown {
    hooks.tick(this);
    return originals.apply.apply(this, args);
  };
  try {
    return run();
  } finally {
    rnnPrototype.resetStates = originals.rnn;
    if (conv !== null) conv.resetStates = originals.conv as ResetStates;
    layerPrototype.apply = originals.apply;
  }
}
