import {serialization} from '@tensorflow/tfjs-core';
import type {Initializer} from '../core/tfjs';
import {ownValue} from '../core/own';
import {BaseInitializer} from '../initializers/base';

/**
 * Whether `init` draws random values that a `seed` option fixes. Ours say so
 * (`BaseInitializer.hasOption`, since a saved config leaves an unset seed out); tfjs's built-ins
 * and other classes that take one always save a `seed` key (`null` when unset).
 */
export function takesSeed(init: Initializer): boolean {
  if (init instanceof BaseInitializer) return init.hasOption('seed');
  return Object.prototype.hasOwnProperty.call(init.getConfig(), 'seed');
}

/** The seed `init` is configured with, or null (unseeded, or it takes none). */
export function seedOf(init: Initializer): number | null {
  const seed = (init.getConfig() as {seed?: unknown}).seed;
  return typeof seed === 'number' ? seed : null;
}

/**
 * Whether a weight drawn by `init` is reproduced by its saved config on a load without weights:
 * `init` draws nothing random (no seed option: zeros, constants, identities) or is seeded.
 */
export function reproducible(init: Initializer): boolean {
  return !takesSeed(init) || seedOf(init) !== null;
}

/**
 * A copy of `init` with `seed` as its seed (null: unseeded), built the way a saved model reloads it
 * — the class registered under its class name, from its config — so that the copy is exactly what
 * a model saved with it draws; null when `init` takes no seed.
 *
 * @example
 * ```ts
 * withSeed(new XavierUniformCustom({gain: 2}), 7)?.getConfig();   // {gain: 2, seed: 7}
 * ```
 */
export function withSeed(init: Initializer, seed: number | null): Initializer | null {
  if (!takesSeed(init)) return null;
  const config = {...(init.getConfig() as serialization.ConfigDict), seed};
  const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, init.getClassName());
  type Entry = [
    serialization.SerializableConstructor<serialization.Serializable>,
    serialization.FromConfigMethod<serialization.Serializable>,
  ];
  const own = init.constructor as Entry[0];
  const [cls, fromConfig]: Entry = entry ?? [own, own.fromConfig];
  return fromConfig(cls, config) as unknown as Initializer;
}
