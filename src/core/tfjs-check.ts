/**
 * Checked once, when the package loads: the `@tensorflow/tfjs-layers` we import registers its
 * classes in the `@tensorflow/tfjs-core` we import. If they are different copies (an app with two
 * tfjs versions installed side by side), our classes would land in a registry tfjs-layers never
 * reads, and every layer would reject our initializers with a cryptic config error; fail now, in
 * one sentence that says what to do.
 */
import {serialization} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';

const layersZeros = initializers.zeros().constructor;
const registered = (serialization.SerializationMap.getMap().classNameMap as Record<string, unknown[] | undefined>).Zeros;
if (registered === undefined || registered[0] !== layersZeros) {
  throw new Error(
    'tfjs-initializers: @tensorflow/tfjs-layers and @tensorflow/tfjs-core resolve to two different copies of tfjs-core, so initializers cannot be registered where layers look for them; install matching versions so that one copy of each is shared (check with `npm ls @tensorflow/tfjs-core`, fix with `npm dedupe` or by aligning the @tensorflow/* versions in package.json).',
  );
}
