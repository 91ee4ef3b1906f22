import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {computeFans} from '../fans';
import {activationOf, gainRange} from './activation';
import {toCamelCase} from '../core/camel-case';
import {kernelVariance} from './kernel-variance';
import {ownValue, setOwn} from '../core/own';

/** One initializer field of one layer of a saved model. */
export interface InitializerEntry {
  /** Layer path: nested models' names joined by `/`. */
  layer: string;
  layerClass: string;
  /** The activation that follows the layer (its own, or a following activation layer's). */
  activation: string | null;
  /** Config key, camelCase: `kernelInitializer`, `layer.recurrentInitializer` (inside a wrapper), ... */
  field: string;
  /** The weight it initializes, e.g. `kernel`, `recurrent_kernel`, `moving_variance`. */
  weight: string;
  initializer: string;
  /** The initializer's config, camelCase keys. */
  config: Record<string, unknown>;
  /** The weight's shape, from the weights manifest; null when the file has none. */
  shape: number[] | null;
  /** Var(W)·fanIn, the variance gain per layer (kernels with a known shape and scheme), else null. */
  gain: number | null;
}

/** Problem kinds {@link inspectModel} flags. */
export type ProblemKind = 'unknownClass' | 'constantKernel' | 'seedReuse' | 'unsuitableScheme';

/** A flagged problem. `error`s stop the model from loading; `warning`s make it train badly. */
export interface Problem {
  kind: ProblemKind;
  severity: 'error' | 'warning';
  layer: string;
  message: string;
}

/** What {@link inspectModel} found. */
export interface Inspection {
  modelClass: string;
  layers: number;
  entries: InitializerEntry[];
  problems: Problem[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const CONTAINERS = ['Sequential', 'Model', 'Functional'];
const KERNEL_WEIGHTS = ['kernel', 'recurrent_kernel', 'depthwise_kernel', 'pointwise_kernel', 'embeddings'];
const CONSTANTS = ['Zeros', 'Ones', 'Constant', 'ZeroBias'];
/** Initializer strings tfjs accepts besides registered class names. */
const TFJS_ALIASES = [
  'zeros', 'ones', 'constant', 'randomNormal', 'randomUniform', 'truncatedNormal', 'varianceScaling', 'glorotUniform',
  'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform', 'orthogonal', 'identity',
];

/** `kernel_initializer` → `kernel`; `recurrent_initializer` → `recurrent_kernel`; ... */
function weightOf(field: string): string {
  const base = field.replace(/(_initializer|Initializer)$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return base === 'recurrent' || base === 'depthwise' || base === 'pointwise' ? `${base}_kernel` : base;
}

function registered(name: string): boolean {
  return ownValue(serialization.SerializationMap.getMap().classNameMap, name) !== undefined;
}

function camelConfig(config: unknown): Json {
  const out: Json = {};
  if (!isObject(config)) return out;
  for (const [k, v] of Object.entries(config)) setOwn(out, toCamelCase(k), v);
  return out;
}

function classOf(entry: Json): string | null {
  const name = entry.class_name ?? entry.className;
  return typeof name === 'string' ? name : null;
}

function layerList(container: Json): Json[] {
  const config = container.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list)) throw new InitializerError('inspectModel', 'modelTopology', `model '${String(classOf(container))}' has no layer list`);
  return list.filter(isObject);
}

/** Finds every `*_initializer` inside a layer config, including wrapped layers and RNN cells. */
function initializerFields(config: Json, prefix = ''): Array<{field: string; value: unknown}> {
  const out: Array<{field: string; value: unknown}> = [];
  for (const [key, value] of Object.entries(config)) {
    const field = toCamelCase(key);
    if (/Initializer$/.test(field)) out.push({field: `${prefix}${field}`, value});
    else if ((field === 'layer' || field === 'cell') && isObject(value) && isObject(value.config)) {
      out.push(...initializerFields(value.config, `${prefix}${field}.`));
    }
  }
  return out;
}

function shapeOf(manifest: Array<{name: string; shape: number[]}>, layer: string, weight: string): number[] | null {
  const hit = manifest.find((w) => w.name === `${layer}/${weight}` || w.name.endsWith(`/${layer}/${weight}`));
  return hit === undefined ? null : hit.shape;
}

function readManifest(model: Json): Array<{name: string; shape: number[]}> {
  const groups = model.weightsManifest;
  if (!Array.isArray(groups)) return [];
  const out: Array<{name: string; shape: number[]}> = [];
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g.weights)) continue;
    for (const w of g.weights) {
      // A shape that is not a list of integers >= 1 counts as unknown: inspection never trusts it.
      const shape = isObject(w) && Array.isArray(w.shape) && w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 1) ? (w.shape as number[]) : null;
      if (isObject(w) && typeof w.name === 'string' && shape !== null) out.push({name: w.name, shape});
    }
  }
  return out;
}

/** Walks the topology, listing initializer fields and flagging unknown classes. */
function collect(container: Json, prefix: string, manifest: Array<{name: string; shape: number[]}>, out: Inspection): void {
  const layers = layerList(container);
  layers.forEach((entry, i) => {
    const cls = classOf(entry) ?? '(missing class_name)';
    const config = camelConfig(entry.config);
    const name = typeof config.name === 'string' ? config.name : typeof entry.name === 'string' ? entry.name : `${cls}_${i}`;
    const path = `${prefix}${name}`;
    out.layers++;
    if (!registered(cls) && !CONTAINERS.includes(cls)) {
      out.problems.push({kind: 'unknownClass', severity: 'error', layer: path, message: `layer '${path}' has class '${cls}', which is not registered: the model will not load`});
    }
    if (CONTAINERS.includes(cls)) {
      collect(entry, `${path}/`, manifest, out);
      return;
    }
    let activation = activationOf(cls, config);
    const next = layers[i + 1];
    if (activation === 'linear' && next !== undefined) {
      activation = activationOf(classOf(next) ?? '', camelConfig(next.config)) ?? activation;
    }
    for (const {field, value} of initializerFields(config)) {
      const weight = weightOf(field.split('.').pop() as string);
      let initializer: string;
      let initConfig: Json = {};
      if (typeof value === 'string') initializer = value;
      else if (isObject(value) && classOf(value) !== null) {
        initializer = classOf(value) as string;
        initConfig = camelConfig(value.config);
      } else continue;
      if (!registered(initializer) && !TFJS_ALIASES.includes(initializer)) {
        out.problems.push({kind: 'unknownClass', severity: 'error', layer: path, message: `${path}.${field}: initializer '${initializer}' is not registered: the model will not load (import the package that defines it)`});
      }
      const shape = shapeOf(manifest, name, weight);
      const variance = shape === null || shape.length < 2 ? null : kernelVariance(initializer, initConfig, shape);
      const gain = variance === null || shape === null ? null : variance * computeFans(shape).fanIn;
      out.entries.push({layer: path, layerClass: cls, activation, field, weight, initializer, config: initConfig, shape, gain});
    }
  });
}

function flagConstants(entries: InitializerEntry[]): Problem[] {
  return entries
    .filter((e) => KERNEL_WEIGHTS.includes(e.weight) && CONSTANTS.includes(e.initializer))
    .map((e) => ({
      kind: 'constantKernel' as const,
      severity: 'warning' as const,
      layer: e.layer,
      message: `${e.layer}: ${e.weight} starts constant (${e.initializer}): every unit computes the same thing and symmetry never breaks`,
    }));
}

function flagSeedReuse(entries: InitializerEntry[]): Problem[] {
  const groups = new Map<string, InitializerEntry[]>();
  for (const e of entries) {
    const seed = e.config.seed;
    if (!KERNEL_WEIGHTS.includes(e.weight) || typeof seed !== 'number') continue;
    const key = JSON.stringify([e.initializer, e.config, e.shape]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const problems: Problem[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [first] = group;
    const names = group.map((e) => `${e.layer}.${e.weight}`).join(', ');
    const shape = first.shape === null ? 'kernels of equal config (shapes not in the file)' : `same-shaped kernels [${first.shape.join(', ')}]`;
    problems.push({
      kind: 'seedReuse',
      severity: 'warning',
      layer: first.layer,
      message: `${first.initializer} with seed ${String(first.config.seed)} is reused by ${names} on ${shape}: they start with identical weights`,
    });
  }
  return problems;
}

function flagSchemes(entries: InitializerEntry[]): Problem[] {
  const problems: Problem[] = [];
  for (const e of entries) {
    if (e.weight !== 'kernel' || e.gain === null || e.gain === 0 || e.activation === null || e.shape === null) continue;
    if (!['Dense', 'Conv1D', 'Conv2D', 'Conv3D'].includes(e.layerClass)) continue;
    const range = gainRange(e.activation);
    if (range === null || (e.gain >= range.low && e.gain <= range.high)) continue;
    const {fanIn, fanOut} = computeFans(e.shape);
    problems.push({
      kind: 'unsuitableScheme',
      severity: 'warning',
      layer: e.layer,
      message:
        `${e.layer} (${e.activation}): ${e.initializer} gives Var(W)·fanIn = ${e.gain.toPrecision(3)} with fanIn ${fanIn}, fanOut ${fanOut}; ` +
        `${e.activation} keeps the signal level at about ${range.ideal}, so each such layer scales its variance by about ${(e.gain / range.ideal).toPrecision(2)}`,
    });
  }
  return problems;
}

/**
 * Inspects a saved model (the parsed `model.json`, or a bare topology) without loading it: lists
 * every initializer of every layer (nested models, wrapped layers and RNN cells included) and flags
 *
 * - **unknownClass** (error): a layer or initializer class that is not registered — loading would fail;
 * - **constantKernel**: a kernel, recurrent kernel or embedding that starts constant (zeros, ones):
 *   its units never become different;
 * - **seedReuse**: one initializer with one seed on several same-shaped kernels — identical weights;
 * - **unsuitableScheme**: a Dense/Conv kernel whose Var(W)·fanIn is far from what the activation
 *   that follows needs (≈ 2 for ReLU, He et al. 2015; ≈ 1 for linear, sigmoid, SELU; 1–2.8 for
 *   tanh) — e.g. Glorot on ReLU, or fan-averaged schemes on very unequal fans.
 *
 * Shapes come from the file's weights manifest; without one the shape-based checks are skipped.
 *
 * @throws InitializerError when the JSON is not a tfjs LayersModel topology.
 */
export function inspectModel(modelJson: unknown): Inspection {
  if (!isObject(modelJson)) throw new InitializerError('inspectModel', 'model.json', 'expected a JSON object (a tfjs model.json or a model topology)');
  const topology = isObject(modelJson.modelTopology) ? modelJson.modelTopology : modelJson;
  const root = isObject(topology.model_config) ? topology.model_config : topology;
  const modelClass = classOf(root);
  if (modelClass === null || !('config' in root)) {
    throw new InitializerError('inspectModel', 'model.json', 'no model topology found: expected `modelTopology` with `class_name` and `config` (a tfjs LayersModel saved by model.save)');
  }
  const out: Inspection = {modelClass, layers: 0, entries: [], problems: []};
  if (!CONTAINERS.includes(modelClass)) {
    out.problems.push({kind: 'unknownClass', severity: 'error', layer: '(model)', message: `model class '${modelClass}' is not a Sequential or functional model`});
    return out;
  }
  collect(root, '', readManifest(modelJson), out);
  out.problems.push(...flagConstants(out.entries), ...flagSeedReuse(out.entries), ...flagSchemes(out.entries));
  return out;
}
