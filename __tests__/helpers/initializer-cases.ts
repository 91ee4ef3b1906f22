/**
 * One test case per registered initializer, built from `registeredNames()` so that every class a
 * later change registers is covered by the cross-backend tests (Node and browser) without edits.
 *
 * A case is the class name, a config (`{seed}` when the class has a `seed` option, else `{}`), and
 * the first layer kind whose kernel shapes the class accepts: a small square kernel for a model
 * layer and a larger one for value checks.
 */
import {createHash} from 'crypto';
import * as tf from '@tensorflow/tfjs-core';
import {InitializerError, registeredNames} from '../../src';
import type {BaseInitializer} from '../../src';
import {CASE_SEED, type InitializerCase, type LayerKind} from './case-model';

export {CASE_SEED, type InitializerCase, type LayerKind};

/**
 * Kernel shapes tried in order; square in the last two axes, so a second layer of the same shape can
 * follow (an `stft` kernel [frame, 1, bins] is followed through a 1×1 mixing layer instead).
 */
const KINDS: ReadonlyArray<{kind: LayerKind; layerShape: number[]; valueShape: number[]}> = [
  {kind: 'dense', layerShape: [16, 16], valueShape: [256, 256]},
  {kind: 'conv2d', layerShape: [3, 3, 4, 4], valueShape: [3, 3, 32, 32]},
  {kind: 'conv1d', layerShape: [3, 4, 4], valueShape: [5, 32, 32]},
  {kind: 'conv3d', layerShape: [3, 3, 3, 4, 4], valueShape: [3, 3, 3, 16, 16]},
  {kind: 'stft', layerShape: [8, 1, 5], valueShape: [64, 1, 33]},
];

type Constructor = new (args?: object) => BaseInitializer<object>;

/** The class registered under `name` with tf.serialization. */
export function registeredClass(name: string): Constructor {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (entry === undefined) throw new Error(`${name} is not registered with tf.serialization`);
  return entry[0] as unknown as Constructor;
}

function accepts(init: BaseInitializer<object>, shape: number[]): boolean {
  try {
    tf.dispose(init.apply(shape));
    return true;
  } catch (e) {
    if (e instanceof InitializerError) return false;
    throw e;
  }
}

/** One case per registered initializer; throws naming a class that fits none of the kernel kinds. */
export function initializerCases(): InitializerCase[] {
  return registeredNames().map((name) => {
    const Cls = registeredClass(name);
    const config: {[key: string]: number} = new Cls().hasOption('seed') ? {seed: CASE_SEED} : {};
    const init = new Cls(config);
    const fit = KINDS.find((k) => accepts(init, k.layerShape) && accepts(init, k.valueShape));
    if (fit === undefined) {
      throw new Error(
        `${name} accepts none of the test kernel ` +
          `shapes ${KINDS.map((k) => JSON.stringify(k.layerShape)).join(', ')}: ` +
          `add one to KINDS`,
      );
    }
    return {name, config, ...fit, layerShape: [...fit.layerShape], valueShape: [...fit.valueShape]};
  });
}

/** SHA-256 (hex) of the bytes of a typed array: equal digests mean bit-identical values. */
export function digest(values: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}

/** Applies a case's initializer to `shape` on the active backend and returns the digest of the values. */
export function caseDigest(c: InitializerCase, shape: number[]): string {
  const t = new (registeredClass(c.name))(c.config).apply(shape);
  const d = digest(t.dataSync());
  t.dispose();
  return d;
}
