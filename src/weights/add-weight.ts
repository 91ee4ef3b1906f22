import type {DataType} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import {TfLayer, type Initializer, type Layer} from '../core/tfjs';

/** One `Layer.addWeight(name, shape, dtype, initializer, regularizer, trainable, constraint)` call. */
export interface AddWeightCall {
  /** The layer whose `build` asks for the weight. */
  layer: Layer;
  name: string;
  shape: number[];
  dtype: DataType | undefined;
  initializer: Initializer | undefined;
  trainable: boolean | undefined;
  /** The call's remaining arguments, passed through unchanged (regularizer, trainable, constraint). */
  rest: unknown[];
}

/** What an interceptor does with one call; `create(initializer)` runs tfjs's own `addWeight`. */
export type AddWeightHook = (
  call: AddWeightCall,
  create: (initializer: Initializer | undefined) => LayerVariable,
) => LayerVariable;

type AddWeight = (
  this: Layer,
  name: string,
  shape: number[],
  dtype?: DataType,
  initializer?: Initializer,
  ...rest: unknown[]
) => LayerVariable;

const prototype = TfLayer.prototype as unknown as {addWeight: AddWeight};

/**
 * The one `addWeight` interceptor: runs `run` with every layer's `addWeight` routed through `hook`,
 * and restores tfjs's method afterwards, also when `run` throws. Only the synchronous part of `run`
 * is intercepted (a returned promise resolves after the original is back). Used to learn which
 * initializer each weight of a layer asks for (reinitialize, applyInitializers) and to plan a
 * model's weights without allocating them (validateModelJSON's dry build).
 */
export function interceptAddWeight<T>(hook: AddWeightHook, run: () => T): T {
  const original = prototype.addWeight;
  prototype.addWeight = function (this: Layer, name, shape, dtype, initializer, ...rest) {
    const trainable = rest[1] as boolean | undefined;
    const call: AddWeightCall = {layer: this, name, shape, dtype, initializer, trainable, rest};
    return hook(call, (init) => original.call(this, name, shape, dtype, init, ...rest));
  };
  try {
    return run();
  } finally {
    prototype.addWeight = original;
  }
}
