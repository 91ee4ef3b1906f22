import {childPath, invalid} from './scan';
import type {InitializerError} from '../../core/errors';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * One object of the topology: where it is, and the layer it is or belongs to (the nearest object
 * with a `class_name` and a `config.name`, itself included).
 */
interface Found {
  path: string;
  layer: string | null;
}

/**
 * The first object of `topology` (breadth-first, iteratively: the file's depth was bounded by the
 * scan) for which `match` holds, with its path below `path` and the name of its layer.
 */
function find(topology: Json, path: string, match: (o: Json) => boolean): Found | null {
  const queue: Array<{value: unknown; path: string; layer: string | null}> = [
    {value: topology, path, layer: null},
  ];
  for (let i = 0; i < queue.length; i++) {
    const {value, path: at, layer} = queue[i];
    if (!isObject(value)) continue;
    const config = value.config;
    const name = isObject(config) && typeof config.name === 'string' ? config.name : null;
    const own = typeof value.class_name === 'string' && name !== null ? name : layer;
    if (match(value)) return {path: at, layer: own};
    const entries = Array.isArray(value)
      ? value.map((v, k) => [k, v] as const)
      : Object.entries(value).map(([k, v]) => [k, v] as const);
    for (const [key, child] of entries)
      queue.push({value: child, path: childPath(at, key), layer: own});
  }
  return null;
}

/** tfjs-layers 4.x's class names for regularizers and constraints a Keras file may name otherwise. */
const KERAS_ONLY: Readonly<Record<string, string>> = {
  L1: "tfjs registers only 'L1L2' as a class: write {class_name: 'L1L2', config: {l1: <l1>, l2: 0}}",
  L2: "tfjs registers only 'L1L2' as a class: write {class_name: 'L1L2', config: {l1: 0, l2: <l2>}}",
  OrthogonalRegularizer: 'tfjs has no orthogonal regularizer',
};

/**
 * The error for a topology tfjs could not build (`message`: tfjs's), said where it is in the file:
 *
 * - tfjs's "Unknown regularizer: L2. This may be due to one of the following reasons: …" becomes
 *   "unknown regularizer 'L2' in layer 'conv2d_2' (… .kernel_regularizer): tfjs registers only
 *   'L1L2' …", its parameter the `class_name` that names it (so the CLI exits 5, as for an
 *   unregistered initializer or layer);
 * - a Keras 3 `InputLayer` (`batch_shape`, which tfjs 4.x does not read) is named as such;
 * - anything else keeps tfjs's first sentence.
 */
export function buildFailure(message: string, topology: Json, path: string): InitializerError {
  const first = message.split('\n')[0];
  const unknown = /^Unknown ([a-z ]+): ([^\s.]+)\./.exec(first);
  if (unknown !== null) {
    const [, kind, name] = unknown;
    const at = find(topology, path, (o) => o.class_name === name);
    if (at !== null) {
      const hint =
        KERAS_ONLY[name] ??
        'no class of that name is registered with tf.serialization: import the package that ' +
          'defines it before loading';
      const where =
        at.layer === null
          ? ''
          : kind === 'layer'
            ? ` (layer '${at.layer}')`
            : ` in layer '${at.layer}'`;
      return invalid(
        childPath(at.path, 'class_name'),
        `unknown ${kind} '${name}'${where}: tfjs could not build the model from it (${hint})`,
      );
    }
    return invalid(path, `tfjs could not build the model from it: unknown ${kind} '${name}'`);
  }
  const keras3 = find(
    topology,
    path,
    (o) =>
      o.class_name === 'InputLayer' &&
      isObject(o.config) &&
      o.config.batch_shape !== undefined &&
      o.config.batch_input_shape === undefined,
  );
  if (keras3 !== null)
    return invalid(
      childPath(childPath(keras3.path, 'config'), 'batch_shape'),
      `tfjs could not build the model from it: ${first} Its InputLayer '${keras3.layer}' ` +
        `has Keras 3's \`batch_shape\`, ` +
        `which tfjs 4.x does not read (it reads \`batch_input_shape\`): a Keras 3 file, not a ` +
        `tfjs model.json`,
    );
  return invalid(path, `tfjs could not build the model from it: ${first}`);
}
