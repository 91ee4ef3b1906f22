import {engine} from '@tensorflow/tfjs-core';

/** tfjs's engine: the one instance every copy of tfjs-core in the process shares. */
export type Engine = ReturnType<typeof engine>;

/**
 * The prototype that holds the engine's methods (tfjs-core's `Engine` class), where the seeding
 * patches wrap `startScope`, `endScope` and `makeTensor`: patching the class rather than the
 * instance leaves the engine object's own properties untouched (no property added to it or deleted
 * from it, so its shape — and the speed of every op's property loads — stays as tfjs made it), and
 * `tf.engine().startScope` is the wrapper while seeded and tfjs's own method after.
 */
export function engineClass(): Engine {
  return Object.getPrototypeOf(engine()) as Engine;
}
