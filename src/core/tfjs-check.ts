/**
 * Checked once, when the package loads: this package shares the app's one tfjs. Our classes are
 * registered in the `@tensorflow/tfjs-core` we import; a second copy of tfjs-core (or of
 * tfjs-layers, which is bound to one tfjs-core) keeps its own registry and engine, and every layer
 * built with it rejects our initializers with a cryptic config error. So fail now, in one sentence
 * that says what to do:
 * - everywhere: the `@tensorflow/tfjs-layers` we import registers its classes in the tfjs-core we
 *   import;
 * - in Node: no other copy of tfjs-core or tfjs-layers is loaded in the process or installed next
 *   to this package (`tfjs-copies.ts`).
 */
import {serialization} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {otherTfjsCopies, type TfjsCopy} from './tfjs-copies';

const FIX =
  'install one version of every @tensorflow/* package your app ' +
  'uses so that npm keeps a single copy (see `npm ls ' +
  '@tensorflow/tfjs-core`; align the versions in package.json, ' +
  'then `npm dedupe`)';

/** The sentence thrown when a second copy of tfjs is found. */
export function secondCopyMessage(copy: TfjsCopy): string {
  return (
    `tfjs-initializers: two copies of ${copy.name} are ` +
    `installed, ${copy.ours} (used by tfjs-initializers) ` +
    `and ${copy.other} (used by ${copy.usedBy}), and tfjs finds ` +
    `custom initializers only in the copy they were registered ` +
    `in; ${FIX}.`
  );
}

const layersZeros = initializers.zeros().constructor;
const registered = (
  serialization.SerializationMap.getMap().classNameMap as Record<string, unknown[] | undefined>
).Zeros;
if (registered === undefined || registered[0] !== layersZeros) {
  throw new Error(
    `tfjs-initializers: @tensorflow/tfjs-layers and ` +
      `@tensorflow/tfjs-core resolve to two different copies of ` +
      `tfjs-core, so initializers cannot be registered where ` +
      `layers look for them; ${FIX}.`,
  );
}
const [copy] = otherTfjsCopies();
if (copy !== undefined) throw new Error(secondCopyMessage(copy));
