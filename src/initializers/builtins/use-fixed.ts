import {replaceBuiltin, restoreBuiltin} from '../registry';
import type {InitializerClass} from '../base';
import {
  FixedIdentity,
  FixedOrthogonal,
  FixedRandomNormal,
  FixedRandomUniform,
  FixedTruncatedNormal,
} from './fixed-others';
import {
  FixedGlorotNormal,
  FixedGlorotUniform,
  FixedHeNormal,
  FixedHeUniform,
  FixedLeCunNormal,
  FixedLeCunUniform,
  FixedVarianceScaling,
} from './fixed-variance-scaling';

/** Whether {@link useFixedBuiltins} is in effect (the seeding patch then draws the fixed distributions). */
let active = false;

/** The classes {@link useFixedBuiltins} registers under tfjs's names; internal (the catalogue of facts reads it). */
export const FIXED: readonly InitializerClass[] = [
  FixedVarianceScaling,
  FixedGlorotUniform,
  FixedGlorotNormal,
  FixedHeUniform,
  FixedHeNormal,
  FixedLeCunUniform,
  FixedLeCunNormal,
  FixedOrthogonal,
  FixedIdentity,
  FixedRandomUniform,
  FixedRandomNormal,
  FixedTruncatedNormal,
] as unknown as InitializerClass[];

/**
 * Opt-in: registers fixed implementations under the names of tfjs's own initializers
 * (`VarianceScaling`, `GlorotUniform`, `GlorotNormal`, `HeUniform`, `HeNormal`, `LeCunUniform`,
 * `LeCunNormal`, `Orthogonal`, `Identity`, `RandomUniform`, `RandomNormal`, `TruncatedNormal`), with
 * their config formats unchanged, so that existing `model.json` files and layer configs get
 * correct draws without edits:
 *
 * - `VarianceScaling` `normal` / `truncatedNormal`: a truncated normal with the 0.8796 variance
 *   correction (tfjs: uncorrected, variance 0.77× the target; `truncatedNormal` drew uniform);
 * - `RandomUniform({minval: 0})` is [0, maxval) (tfjs: −0.05); `stddev: 0` is 0;
 * - seed 0 is a seed (tfjs: unseeded for normal draws);
 * - `Identity` works for non-square matrices; `Orthogonal` is fast (tfjs: 39 s for 512²) and works
 *   with only tfjs-core + tfjs-layers loaded.
 *
 * What it reaches: every initializer tfjs builds through its class registry — loading a saved
 * model (tfjs or Keras format, e.g. `{"class_name": "VarianceScaling", ...}` or Keras 3's
 * `"GlorotNormal"`), config objects (`{className: 'HeNormal', config: {}}`) and the strings
 * `'varianceScaling'`, `'orthogonal'` (every new LSTM/GRU's default), `'identity'`,
 * `'randomUniform'` (Embedding's default), `'randomNormal'`, `'truncatedNormal'` and their
 * PascalCase forms. What it cannot reach: the strings `'glorotUniform'`, `'glorotNormal'`,
 * `'heUniform'`, `'heNormal'`, `'leCunUniform'`, `'leCunNormal'` (and PascalCase), which
 * tfjs-layers' `getInitializer` constructs from its own classes without the registry, and instances
 * made with `tf.initializers.*()`. Of those, the `*Normal` ones keep tfjs's variance error: use
 * {@link KaimingNormal}, {@link XavierNormal}, {@link LecunNormal} or a config object instead — or
 * set a seed: while `setSeed` is in effect, tfjs's own classes draw from the seeded stream, with
 * the fixed distributions while this is on (docs/seeding.md §5).
 *
 * Returns the names replaced. Idempotent; {@link restoreBuiltins} undoes it.
 *
 * @example
 * ```ts
 * import {useFixedBuiltins} from 'tfjs-initializers';
 * useFixedBuiltins();
 * const model = await tf.loadLayersModel(fileIO('./old-model', {weights: false}));  // fixed draws
 * tf.layers.lstm({units: 256});   // default 'orthogonal' recurrent kernel, now fast
 * ```
 * @see upstream tfjs issue #8594 (VarianceScaling normal variance).
 */
export function useFixedBuiltins(): string[] {
  for (const cls of FIXED) replaceBuiltin(cls);
  active = true;
  return FIXED.map((cls) => cls.className);
}

/** True between {@link useFixedBuiltins} and {@link restoreBuiltins}. Internal. */
export function fixedBuiltinsInUse(): boolean {
  return active;
}

/**
 * Puts tfjs's own initializer classes back in the registry, undoing {@link useFixedBuiltins}.
 * Returns the names restored (empty when nothing was replaced).
 *
 * @example
 * ```ts
 * useFixedBuiltins();
 * // ...
 * restoreBuiltins();
 * ```
 */
export function restoreBuiltins(): string[] {
  active = false;
  return FIXED.map((cls) => cls.className).filter((name) => restoreBuiltin(name));
}
