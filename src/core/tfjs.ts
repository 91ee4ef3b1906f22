/**
 * The tfjs types and classes this package builds on that tfjs does not export by name, derived from
 * its public API only. Importing from `@tensorflow/tfjs-layers/dist/...` instead would break type
 * resolution under `moduleResolution: node16`/`nodenext` (extension-less deep imports) and tie us to
 * tfjs's file layout.
 */
import {Tensor} from '@tensorflow/tfjs-core';
import {initializers, layers, type LayersModel} from '@tensorflow/tfjs-layers';

/** tfjs-layers' `Initializer` base type (the non-string part of a layer's `kernelInitializer`). */
export type Initializer = Exclude<
  NonNullable<Parameters<typeof layers.dense>[0]['kernelInitializer']>,
  string
>;

/** tfjs-layers' `Layer` base type. */
export type Layer = LayersModel['layers'][number];

/** The keyword arguments of `Layer.apply` (`training`, `mask`, ...). */
export type Kwargs = NonNullable<Parameters<Layer['apply']>[1]>;

/**
 * tfjs-layers' `Initializer` class itself, taken from a built-in instance: `instanceof` checks and
 * `getInitializer` inside tfjs accept subclasses of it.
 */
export const TfInitializer = Object.getPrototypeOf(
  initializers.zeros().constructor,
) as abstract new () => Initializer;

/** tfjs-layers' `Layer` class (the base of every layer), for patching `addWeight`. */
export const TfLayer = (layers as unknown as {Layer: abstract new (...args: never[]) => Layer})
  .Layer;

/**
 * Whether tfjs's chained tensor methods (`t.flatten()`, ...) are loaded: they are with the full
 * `@tensorflow/tfjs` bundle, not with tfjs-core + tfjs-layers alone, where tfjs's own `Orthogonal`
 * cannot run (initializers/builtins/orthogonal-builtin.ts).
 */
export function chainedOpsLoaded(): boolean {
  return typeof (Tensor.prototype as unknown as {flatten?: unknown}).flatten === 'function';
}
