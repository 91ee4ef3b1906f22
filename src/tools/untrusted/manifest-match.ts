import type {LayersModel, LayerVariable} from '@tensorflow/tfjs-layers';
import {describeValue} from '../../core/errors';
import {childPath, invalid} from './scan';
import type {ManifestEntry} from './manifest';

/** A weight of the dry-built model under the name tfjs's `loadWeights` looks it up by. */
interface Target {
  weight: LayerVariable;
  /** Where the manifest entry that matched it is, once matched. */
  matchedBy: string | null;
}

const shapeText = (shape: readonly (number | null)[]): string => `[${shape.join(', ')}]`;

/**
 * tfjs's rule (`Container.loadWeights`, tfjs-layers 4.22): when the first weight name (in the key
 * order of a plain object) ends in an integer, the file is in Keras 3's format and every weight is
 * looked up as `<its scope>/<its index in its top-level layer>`; otherwise by its `originalName`.
 */
function kerasThreeFormat(names: readonly string[]): boolean {
  const keyed = Object.create(null) as Record<string, true>;
  for (const name of names) keyed[name] = true;
  const first = Object.keys(keyed)[0];
  if (first === undefined) return false;
  const parts = first.split('/');
  return !Number.isNaN(parseInt(parts[parts.length - 1], 10));
}

/**
 * The weights of `model` by the name tfjs's `loadWeights` gives them; two with one name are
 * refused, as tfjs refuses them.
 */
function targets(model: LayersModel, keras3: boolean, path: string): Map<string, Target> {
  const byName = new Map<string, Target>();
  for (const layer of model.layers) {
    layer.weights.forEach((weight, index) => {
      const name = keras3
        ? `${weight.name.split('/').slice(0, -1).join('/')}/${index}`
        : weight.originalName;
      if (byName.has(name))
        throw invalid(
          path,
          `two weights of the model are both named '${name}', so tfjs cannot load weights into it`,
        );
      byName.set(name, {weight, matchedBy: null});
    });
  }
  return byName;
}

/**
 * Checks the weights manifest against the weights the dry build planned, the way tfjs's own
 * loader pairs them (`Container.loadWeights`: a manifest name matches a weight's `originalName`,
 * or, failing that, with its second-to-last segment dropped — the cell name TF 2.2 adds to RNN
 * weights), but before any tensor exists:
 *
 * - no name is listed twice (tfjs keeps the last of two and leaks the other), and no two names
 *   pair with the same weight;
 * - every entry pairs with a weight of the same shape and dtype (tfjs would fail half-way through
 *   assigning them, leaving the model and its tensors behind);
 * - with `strict` (tfjs's default), every weight is paired and no entry is left over.
 *
 * Optimizer entries (`group: 'optimizer'`) go to the optimizer, not to a layer: they are accepted
 * only when the file has a training config (which creates the optimizer), and never matched.
 */
export function matchManifest(
  model: LayersModel,
  entries: readonly ManifestEntry[],
  options: {strict: boolean; hasTrainingConfig: boolean},
): void {
  const path = 'weightsManifest';
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const first = seen.get(entry.name);
    if (first !== undefined)
      throw invalid(
        childPath(entry.place, 'name'),
        `weight '${entry.name}' is listed twice (also at ${first})`,
      );
    seen.set(entry.name, entry.place);
  }
  const modelEntries = entries.filter((e) => e.group !== 'optimizer');
  const optimizer = entries.find((e) => e.group === 'optimizer');
  if (optimizer !== undefined && !options.hasTrainingConfig) {
    throw invalid(
      childPath(optimizer.place, 'group'),
      `optimizer weight '${optimizer.name}', but the file has no trainingConfig, so there is no optimizer to take it`,
    );
  }
  const byName = targets(model, kerasThreeFormat(modelEntries.map((e) => e.name)), path);
  for (const entry of modelEntries) {
    let target = byName.get(entry.name);
    if (target === undefined) {
      const tokens = entry.name.split('/');
      target = byName.get([...tokens.slice(0, -2), tokens[tokens.length - 1]].join('/'));
    }
    if (target === undefined) {
      if (!options.strict) {
        // Unused, but tfjs decodes it anyway: a complex64 value fails to decode where the backend
        // has no complex numbers (wasm), after the entries before it were decoded.
        if (entry.dtype === 'complex64')
          throw invalid(
            childPath(entry.place, 'dtype'),
            `weight '${entry.name}' is complex64 and no weight of the model takes it (no tfjs ` +
              `layer has complex weights); tfjs would still decode it`,
          );
        continue;
      }
      throw invalid(
        childPath(entry.place, 'name'),
        `weight '${entry.name}' is not a weight of the model (it ` +
          `has ${[...byName.keys()].slice(0, 6).join(', ')}${byName.size > 6 ? ', ...' : ''})`,
      );
    }
    const {weight} = target;
    if (target.matchedBy !== null) {
      throw invalid(
        childPath(entry.place, 'name'),
        `weight '${entry.name}' is the model's weight ` +
          `'${weight.originalName}', which ${target.matchedBy} ` +
          `already gives`,
      );
    }
    if (
      weight.shape.length !== entry.shape.length ||
      weight.shape.some((d, i) => d !== entry.shape[i])
    ) {
      throw invalid(
        childPath(entry.place, 'shape'),
        `weight '${entry.name}' has shape ${shapeText(entry.shape)}, ` +
          `but the model's weight has shape ${shapeText(weight.shape)}`,
      );
    }
    if (weight.dtype !== entry.dtype) {
      throw invalid(
        childPath(entry.place, 'dtype'),
        `weight '${entry.name}' has ` +
          `dtype ${describeValue(entry.dtype)}, but the model's weight ` +
          `has dtype ${describeValue(weight.dtype)}`,
      );
    }
    target.matchedBy = entry.place;
  }
  if (!options.strict) return;
  const missing = [...byName.entries()].filter(([, t]) => t.matchedBy === null);
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 6)
      .map(([name, t]) => `'${name}' ${shapeText(t.weight.shape)}`)
      .join(', ');
    throw invalid(
      path,
      `${missing.length} of the model's ${byName.size} weights are ` +
        `not in the manifest: ${shown}${missing.length > 6 ? ', ...' : ''}`,
    );
  }
}
