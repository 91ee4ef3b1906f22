import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue} from '../../core/errors';
import {BaseInitializer} from '../../initializers/base';
import {ownValue, setOwn} from '../../core/own';
import {MAX_MAGNITUDE} from '../../core/options';
import {childPath, invalid} from './scan';
import {checkContainerGraph} from './graph-check';
import {toCamelCase} from '../../core/camel-case';
import type {Limits} from './limits';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Model classes whose config holds a layer list. */
export const CONTAINER_CLASSES: readonly string[] = ['Sequential', 'Model', 'Functional'];

/** One layer entry of a topology, as {@link eachLayerConfig} visits it. */
export interface LayerEntry {
  /** `{class_name, config}` as written in the file. */
  entry: Json;
  className: string;
  /** Its config object (empty for a malformed entry). */
  config: Json;
  /** The name of the top-level layer it belongs to (a wrapper's or RNN's own name for its inner layers and cells). */
  owner: string;
  /** Nested models' names, joined by `/`, before the layer's name. */
  prefix: string;
}

/**
 * Visits every layer entry of a topology (a well-formed one: run {@link checkTopology} first):
 * the layers of nested models, and the layers inside wrappers (`layer`: Bidirectional,
 * TimeDistributed) and RNNs (`cell`, `cells`). Containers themselves are not visited.
 */
export function eachLayerConfig(topology: Json, visit: (layer: LayerEntry) => void): void {
  const walk = (entry: Json, owner: string | null, prefix: string): void => {
    const cls = entry.class_name ?? entry.className;
    const config = entry.config;
    if (typeof cls === 'string' && CONTAINER_CLASSES.includes(cls)) {
      const list = Array.isArray(config) ? config : isObject(config) ? config.layers : [];
      const name = isObject(config) && typeof config.name === 'string' ? config.name : null;
      const inner =
        owner === null && entry !== topology && name !== null ? `${prefix}${name}/` : prefix;
      if (Array.isArray(list))
        for (const layer of list)
          if (isObject(layer)) walk(layer, null, entry === topology ? prefix : inner);
      return;
    }
    const c = isObject(config) ? config : {};
    const top = owner ?? (typeof c.name === 'string' ? c.name : '');
    visit({entry, className: typeof cls === 'string' ? cls : '', config: c, owner: top, prefix});
    for (const key of Object.keys(c)) {
      const field = toCamelCase(key);
      const value = c[key];
      if ((field === 'layer' || field === 'cell') && isObject(value)) walk(value, top, prefix);
      else if ((field === 'cell' || field === 'cells') && Array.isArray(value))
        for (const cell of value) if (isObject(cell)) walk(cell, top, prefix);
    }
  };
  walk(topology, null, '');
}

/** Layer config fields (camelCase, as tfjs reads them) that must be an integer ≥ 1. */
const COUNTS = [
  'units',
  'filters',
  'inputDim',
  'outputDim',
  'depthMultiplier',
  'n',
  'numTokens',
  'groups',
];
/** Fields that are an integer ≥ 1 or a list of them. */
const TUPLES = ['kernelSize', 'strides', 'poolSize', 'dilationRate', 'size'];
/** Input shapes: lists of integers ≥ 1 or null (unknown). */
const INPUT_SHAPES = ['batchInputShape', 'batchShape', 'inputShape'];
/**
 * Flags tfjs tests for truth (`if (this.stateful)`): `"stateful": 1` or `"yes"` is on to tfjs, so
 * each must be true, false or null (tfjs's default) — a file that means something else is refused.
 */
const FLAGS = [
  'stateful',
  'returnSequences',
  'returnState',
  'goBackwards',
  'unroll',
  'useBias',
  'maskZero',
  'trainable',
  'center',
  'resetAfter',
];

/** Where the topology is: `modelTopology`, Keras's `model_config`, or the object itself. */
export function locateTopology(json: Json): {topology: Json; path: string} {
  let topology: Json = json;
  let path = '';
  if (isObject(json.modelTopology)) {
    topology = json.modelTopology;
    path = 'modelTopology';
  } else if (json.modelTopology !== undefined) {
    throw invalid(
      'modelTopology',
      `must be an object (a tfjs LayersModel topology). Received: ${describeValue(json.modelTopology)}`,
    );
  }
  if (isObject(topology.model_config)) {
    topology = topology.model_config;
    path = childPath(path, 'model_config');
  } else if (topology.model_config !== undefined && topology.model_config !== null) {
    // tfjs's loader takes any non-null `model_config` as the topology.
    throw invalid(
      childPath(path, 'model_config'),
      `must be an object (a tfjs LayersModel topology). Received: ${describeValue(topology.model_config)}`,
    );
  }
  if (topology === json && json.class_name === undefined && json.className === undefined) {
    throw invalid(
      'modelTopology',
      'missing: expected `modelTopology`, a tfjs LayersModel ' +
        'topology with `class_name` and `config` (as ' +
        'model.save writes it)',
    );
  }
  return {topology, path};
}

function className(entry: Json, path: string): string {
  const name = entry.class_name ?? entry.className;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw invalid(
      childPath(path, 'class_name'),
      `must be a class name (a non-empty string). Received: ${describeValue(name)}`,
    );
  }
  return name;
}

function positiveInteger(value: unknown, path: string, max: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw invalid(path, `must be an integer >= 1. Received: ${describeValue(value)}`);
  if ((value as number) > max)
    throw invalid(
      path,
      `${value} is more than the ${max} elements one weight may have (limit maxWeightElements)`,
    );
}

function checkInputShape(value: unknown, path: string, limits: Limits): void {
  if (!Array.isArray(value))
    throw invalid(
      path,
      `must be a list of integers >= 1 or null. Received: ${describeValue(value)}`,
    );
  let known = 1;
  value.forEach((d, i) => {
    if (d === null) return;
    positiveInteger(d, childPath(path, i), limits.maxWeightElements);
    known *= d as number;
  });
  if (known > limits.maxWeightElements) {
    throw invalid(
      path,
      `${describeValue(value)} has ${known} elements (unknown ` +
        `dimensions counted as 1), more than ` +
        `the ${limits.maxWeightElements} one tensor may have (limit ` +
        `maxWeightElements)`,
    );
  }
}

/**
 * Constructs an initializer config that names one of this package's classes (or a fixed built-in)
 * as tfjs would — keys and string values camel-cased — so that a bad option fails here, with its
 * place in the file, rather than deep inside tfjs. Option parsing allocates nothing.
 */
function checkInitializer(value: Json, path: string): void {
  const name = value.class_name ?? value.className;
  const entry =
    typeof name === 'string'
      ? ownValue(serialization.SerializationMap.getMap().classNameMap, name)
      : undefined;
  if (entry === undefined) return;
  if (!((entry[0] as {prototype?: unknown}).prototype instanceof BaseInitializer)) {
    checkBuiltinConfig(name as string, value.config, childPath(path, 'config'));
    return;
  }
  const config: Record<string, unknown> = {};
  if (isObject(value.config)) {
    for (const [k, v] of Object.entries(value.config))
      setOwn(config, toCamelCase(k), typeof v === 'string' ? toCamelCase(v) : v);
  } else if (value.config !== undefined && value.config !== null) {
    throw invalid(
      childPath(path, 'config'),
      `must be the initializer's options (an object). Received: ${describeValue(value.config)}`,
    );
  }
  try {
    entry[1](entry[0], config as serialization.ConfigDict);
  } catch (e) {
    if (e instanceof InitializerError) throw invalid(childPath(path, 'config'), e.message);
    throw e;
  }
}

/**
 * The numeric options of tfjs's own initializers, which tfjs does not check: a NaN or non-number
 * `stddev` or `scale` makes its truncated normal reject forever (a hang while loading), and a
 * `value` of NaN fills a NaN kernel. Each must be a finite number of magnitude ≤ 1e36 (≥ 0 where
 * marked), or absent/null where tfjs has a default.
 */
const BUILTIN_NUMBERS: Readonly<Record<string, ReadonlyArray<[string, 'any' | 'nonNegative']>>> = {
  VarianceScaling: [['scale', 'nonNegative']],
  RandomUniform: [
    ['minval', 'any'],
    ['maxval', 'any'],
  ],
  RandomNormal: [
    ['mean', 'any'],
    ['stddev', 'nonNegative'],
  ],
  TruncatedNormal: [
    ['mean', 'any'],
    ['stddev', 'nonNegative'],
  ],
  Constant: [['value', 'any']],
  Orthogonal: [['gain', 'any']],
  Identity: [['gain', 'any']],
};

function checkBuiltinConfig(name: string, config: unknown, path: string): void {
  const fields = [...(ownValue(BUILTIN_NUMBERS, name) ?? []), ['seed', 'any'] as [string, 'any']];
  if (!isObject(config)) return;
  for (const [field, sign] of fields) {
    const key = Object.keys(config).find((k) => toCamelCase(k) === field);
    if (key === undefined || config[key] === null) continue;
    const v = config[key];
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      Math.abs(v) > MAX_MAGNITUDE ||
      (sign === 'nonNegative' && v < 0)
    ) {
      throw invalid(
        childPath(path, key),
        `tfjs's ${name} needs a finite ` +
          `number${sign === 'nonNegative' ? ' >= 0' : ''} of magnitude ` +
          `<= 1e36 here (it does not check, and hangs or fills NaN ` +
          `otherwise). Received: ${describeValue(v)}`,
      );
    }
  }
}

/** Checks the size fields of one layer's config (camelCase or snake_case keys). */
function checkFields(config: Json, path: string, limits: Limits): void {
  for (const key of Object.keys(config)) {
    const field = toCamelCase(key);
    const value = config[key];
    const at = childPath(path, key);
    if (/Initializer$/.test(field) && isObject(value)) checkInitializer(value, at);
    else if (COUNTS.includes(field)) positiveInteger(value, at, limits.maxWeightElements);
    else if (FLAGS.includes(field) && value !== null && typeof value !== 'boolean')
      throw invalid(
        at,
        `must be true or false: tfjs takes any truthy value for true. Received: ${describeValue(value)}`,
      );
    else if (TUPLES.includes(field) && value !== null) {
      if (Array.isArray(value))
        value.forEach((d, i) => positiveInteger(d, childPath(at, i), limits.maxWeightElements));
      else positiveInteger(value, at, limits.maxWeightElements);
    } else if (INPUT_SHAPES.includes(field) && value !== null) checkInputShape(value, at, limits);
    else if (field === 'targetShape' && value !== null) {
      if (!Array.isArray(value))
        throw invalid(
          at,
          `must be a list of integers >= 1 (one may be -1). Received: ${describeValue(value)}`,
        );
      value.forEach((d, i) =>
        d === -1 ? undefined : positiveInteger(d, childPath(at, i), limits.maxWeightElements),
      );
    }
  }
}

/** What {@link checkTopology} found. */
export interface TopologySummary {
  modelClass: string;
  /** Layers, nested models and wrapped layers (RNN cells, Bidirectional/TimeDistributed layers) included. */
  layers: number;
  /** Whether any layer is a stateful RNN (whose state tensors tfjs allocates when it builds the layer). */
  stateful: boolean;
}

/**
 * Checks a model topology's structure and the size fields of every layer config: the root is a
 * Sequential or functional model, every layer has a class name and a config object, counts
 * (`units`, `filters`, ...) are integers ≥ 1, kernel sizes and strides integers ≥ 1, input shapes
 * lists of integers ≥ 1 or null of at most `maxWeightElements` known elements, at most
 * `maxLayers` layers. Does not allocate and does not call tfjs.
 */
export function checkTopology(json: Json, limits: Limits): TopologySummary {
  const {topology, path} = locateTopology(json);
  const modelClass = className(topology, path);
  if (!CONTAINER_CLASSES.includes(modelClass)) {
    throw invalid(
      childPath(path, 'class_name'),
      `must be ${CONTAINER_CLASSES.join(', ')} (a tfjs LayersModel). Received: ${describeValue(modelClass)}`,
    );
  }
  const summary: TopologySummary = {modelClass, layers: 0, stateful: false};
  const pending: Array<{entry: Json; path: string}> = [{entry: topology, path}];
  while (pending.length > 0) {
    const {entry, path: at} = pending.pop() as {entry: Json; path: string};
    const cls = className(entry, at);
    const configPath = childPath(at, 'config');
    const config = entry.config;
    if (CONTAINER_CLASSES.includes(cls)) {
      const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
      const listPath = Array.isArray(config) ? configPath : childPath(configPath, 'layers');
      if (!Array.isArray(list))
        throw invalid(
          listPath,
          `must be the model's list of layers. Received: ${describeValue(list)}`,
        );
      list.forEach((layer, i) => {
        if (!isObject(layer))
          throw invalid(
            childPath(listPath, i),
            `must be a layer {class_name, config}. Received: ${describeValue(layer)}`,
          );
        pending.push({entry: layer, path: childPath(listPath, i)});
      });
      checkContainerGraph(cls, config, list, configPath, listPath);
      if (entry !== topology) summary.layers++;
      continue;
    }
    if (!isObject(config))
      throw invalid(
        configPath,
        `must be the layer's config object. Received: ${describeValue(config)}`,
      );
    if (++summary.layers > limits.maxLayers)
      throw invalid(at, `the model has more than ${limits.maxLayers} layers (limit maxLayers)`);
    checkFields(config, configPath, limits);
    if (Object.keys(config).some((k) => toCamelCase(k) === 'stateful' && config[k] === true))
      summary.stateful = true;
    for (const key of Object.keys(config)) {
      const field = toCamelCase(key);
      const value = config[key];
      // Wrapped layers (Bidirectional, TimeDistributed) and RNN cells are layers too.
      if ((field === 'layer' || field === 'cell') && isObject(value))
        pending.push({entry: value, path: childPath(configPath, key)});
      if (field === 'cell' && Array.isArray(value))
        value.forEach(
          (c, i) =>
            isObject(c) && pending.push({entry: c, path: childPath(childPath(configPath, key), i)}),
        );
      if (field === 'cells' && Array.isArray(value))
        value.forEach(
          (c, i) =>
            isObject(c) && pending.push({entry: c, path: childPath(childPath(configPath, key), i)}),
        );
    }
  }
  return summary;
}
