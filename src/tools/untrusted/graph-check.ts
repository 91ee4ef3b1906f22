import {describeValue} from '../../core/errors';
import {toCamelCase} from '../../core/camel-case';
import {childPath, invalid} from './scan';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Model classes whose instances start with one node of their own (their internal graph). */
const NODE_AT_START = ['InputLayer', 'Sequential', 'Model', 'Functional'];

/**
 * The value tfjs reads as `field` of `obj`: tfjs camel-cases every key (`inbound_nodes` and
 * `inboundNodes` are one key to it, the later one winning), so two spellings of one field are
 * refused. Undefined when absent.
 */
export function fieldOf(obj: Json, field: string, path: string): {key: string; value: unknown} {
  let found: string | undefined;
  for (const key of Object.keys(obj)) {
    if (toCamelCase(key) !== field) continue;
    if (found !== undefined)
      throw invalid(
        childPath(path, key),
        `${JSON.stringify(found)} and ${JSON.stringify(key)} are one field ` +
          `(\`${field}\`) to tfjs, which camel-cases keys: give it once`,
      );
    found = key;
  }
  return {key: found ?? field, value: found === undefined ? undefined : obj[found]};
}

/** A layer of a functional model's config, as the graph check reads it. */
interface GraphLayer {
  name: string;
  /** Where its entry is: `modelTopology.config.layers[3]`. */
  path: string;
  /** Nodes that exist now: one from the start for input layers and models, one more per call. */
  nodes: number;
}

/** One call of a layer (one entry of its `inbound_nodes`): the nodes it takes input from. */
interface Call {
  layer: GraphLayer;
  /** `modelTopology.config.layers[3].inbound_nodes[0]` */
  path: string;
  inputs: Array<{layer: string; node: number; path: string}>;
  /** How many of `inputs` exist already. */
  ready: number;
}

/** A `[layer name, node index, tensor index(, kwargs)]` reference, checked; `what` names it in refusals. */
function reference(
  value: unknown,
  path: string,
  what: string,
  kwargs: boolean,
): {layer: string; node: number} {
  const ok =
    Array.isArray(value) &&
    (value.length === 3 || (kwargs && value.length === 4)) &&
    typeof value[0] === 'string' &&
    Number.isSafeInteger(value[1]) &&
    (value[1] as number) >= 0 &&
    Number.isSafeInteger(value[2]) &&
    (value[2] as number) >= 0 &&
    (value.length === 3 || value[3] === null || isObject(value[3]));
  if (!ok)
    throw invalid(
      path,
      `${what} must be [layer name, node index, tensor index${kwargs ? ', kwargs' : ''}] ` +
        `(a string, then integers >= 0). Received: ${describeValue(value)}`,
    );
  const ref = value as [string, number];
  return {layer: ref[0], node: ref[1]};
}

/**
 * Checks the layer names of one model's config: each layer has a name, and no two layers of the
 * model share one. tfjs keys the graph by these names, and saves each weight as `<layer>/<weight>`:
 * two layers named alike load, but their weights cannot be saved and loaded again.
 */
function checkNames(list: readonly unknown[], listPath: string, functional: boolean): string[] {
  const seen = new Map<string, string>();
  return list.map((entry, i) => {
    const at = childPath(listPath, i);
    const layer = entry as Json;
    const config = isObject(layer.config) ? layer.config : {};
    const configPath = childPath(at, 'config');
    const inner = fieldOf(config, 'name', configPath);
    const inConfig = inner.value;
    const name = functional ? fieldOf(layer, 'name', at).value : inConfig;
    const namePath = functional
      ? childPath(at, fieldOf(layer, 'name', at).key)
      : childPath(configPath, inner.key);
    if (functional && (typeof name !== 'string' || name.length === 0))
      throw invalid(
        namePath,
        `must be the layer's name (a non-empty string): tfjs connects a ` +
          `functional model's layers by name. Received: ${describeValue(name)}`,
      );
    if (functional && inConfig !== undefined && inConfig !== name)
      throw invalid(
        childPath(configPath, inner.key),
        `must be the layer's name ${describeValue(name)}, as written beside ` +
          `\`class_name\`: tfjs keys the layer by one and its calls by the other. ` +
          `Received: ${describeValue(inConfig)}`,
      );
    if (typeof name !== 'string') return '';
    const first = seen.get(name);
    if (first !== undefined)
      throw invalid(
        namePath,
        `two layers of one model are named ${describeValue(name)} (also ${first}): ` +
          `tfjs would save both layers' weights under one name, so the model could not be ` +
          `loaded again; give each layer its own name`,
      );
    seen.set(name, at);
    return name;
  });
}

/**
 * Checks the connections of a functional model (`Model`/`Functional`) before tfjs builds it:
 * every call in `inbound_nodes` and every entry of `input_layers`/`output_layers` names a layer of
 * the model and a node of it that will exist. tfjs's `Container.fromConfig` builds nodes in rounds,
 * putting a call back in its queue while an input it needs does not exist yet, and never gives up:
 * a call that names a missing layer, a node index no call creates, or a node of its own layer
 * (a self-loop, or a cycle through other layers) keeps it busy forever. The same rounds are run
 * here on the names alone (linear in the number of calls), and a call that would wait forever is
 * refused with its place in the file. Also checks the layer names ({@link checkNames}).
 */
export function checkContainerGraph(
  className: string,
  config: unknown,
  list: readonly unknown[],
  configPath: string,
  listPath: string,
): void {
  const functional = className !== 'Sequential';
  const names = checkNames(list, listPath, functional);
  if (!functional) return;
  if (!isObject(config))
    throw invalid(
      configPath,
      `a ${className}'s config must be an object {name, layers, input_layers, output_layers}. ` +
        `Received: ${describeValue(config)}`,
    );
  const layers = new Map<string, GraphLayer>();
  const calls: Call[] = [];
  list.forEach((entry, i) => {
    const at = childPath(listPath, i);
    const cls = (entry as Json).class_name ?? (entry as Json).className;
    const layer: GraphLayer = {
      name: names[i],
      path: at,
      nodes: typeof cls === 'string' && NODE_AT_START.includes(cls) ? 1 : 0,
    };
    layers.set(layer.name, layer);
    const inbound = fieldOf(entry as Json, 'inboundNodes', at);
    const inboundPath = childPath(at, inbound.key);
    if (!Array.isArray(inbound.value))
      throw invalid(
        inboundPath,
        `must be the list of the layer's calls (each a list of its inputs). ` +
          `Received: ${describeValue(inbound.value)}`,
      );
    inbound.value.forEach((node, n) => {
      const nodePath = childPath(inboundPath, n);
      if (!Array.isArray(node))
        throw invalid(
          nodePath,
          `must be a list of inputs [layer name, node index, tensor index, kwargs]. ` +
            `Received: ${describeValue(node)}`,
        );
      const inputs = node.map((input, k) => {
        const path = childPath(nodePath, k);
        return {...reference(input, path, 'an input', true), path};
      });
      calls.push({layer, path: nodePath, inputs, ready: 0});
    });
  });
  // The rounds of tfjs's fromConfig, as a worklist: a call waits on the first input it lacks.
  const waiting = new Map<GraphLayer, Call[]>();
  const queue = [...calls];
  while (queue.length > 0) {
    const call = queue.pop() as Call;
    let blocked: GraphLayer | null = null;
    while (call.ready < call.inputs.length) {
      const input = call.inputs[call.ready];
      const source = layers.get(input.layer);
      if (source === undefined)
        throw invalid(
          input.path,
          `names layer ${describeValue(input.layer)}, which the model does not have: ` +
            `tfjs would wait for it forever`,
        );
      if (source.nodes <= input.node) {
        blocked = source;
        break;
      }
      call.ready++;
    }
    if (blocked !== null) {
      const list = waiting.get(blocked) ?? [];
      list.push(call);
      waiting.set(blocked, list);
      continue;
    }
    // A call with no inputs creates no node (tfjs skips it).
    if (call.inputs.length === 0) continue;
    call.layer.nodes++;
    const woken = waiting.get(call.layer);
    if (woken !== undefined) {
      waiting.delete(call.layer);
      queue.push(...woken);
    }
  }
  const stuck = calls.find((c) => c.ready < c.inputs.length);
  if (stuck !== undefined) {
    const input = stuck.inputs[stuck.ready];
    const source = layers.get(input.layer) as GraphLayer;
    const why =
      source === stuck.layer
        ? 'its own layer: a layer cannot take its input from itself'
        : `a layer that only has ${source.nodes} node(s) once every call that can run has run ` +
          '(a cycle, or a node index too large)';
    throw invalid(
      input.path,
      `layer ${describeValue(stuck.layer.name)} takes input from node ${input.node} of ` +
        `${describeValue(input.layer)}, ${why}; tfjs would wait for it forever`,
    );
  }
  for (const field of ['inputLayers', 'outputLayers']) {
    const {key, value} = fieldOf(config, field, configPath);
    const at = childPath(configPath, key);
    if (!Array.isArray(value) || value.length === 0)
      throw invalid(
        at,
        `must be a non-empty list of [layer name, node index, tensor index]. ` +
          `Received: ${describeValue(value)}`,
      );
    value.forEach((entry, i) => {
      const path = childPath(at, i);
      const ref = reference(entry, path, 'an entry', false);
      const layer = layers.get(ref.layer);
      if (layer === undefined)
        throw invalid(
          path,
          `names layer ${describeValue(ref.layer)}, which the model does not have`,
        );
      if (layer.nodes <= ref.node)
        throw invalid(
          path,
          `names node ${ref.node} of layer ${describeValue(ref.layer)}, which has ${layer.nodes} node(s)`,
        );
    });
  }
}
