import {serialization} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import {InitializerError} from '../core/errors';
import {BaseInitializer} from '../initializers/base';
import {TFJS_IDENTIFIERS, initializerNameAdvice, shown} from '../initializers/initializer-names';
import {toCamelCase} from '../core/camel-case';
import {ownValue} from '../core/own';
import {kernelVariance, weightMeanSquare} from './kernel-variance';
import {modelGraph, type GraphNode, type ModelGraph} from './graph';
import {kernelFans} from './layer-kinds';
import {
  propagateSignal,
  saturatedFraction,
  oneHotShare,
  type NodeSignal,
  type WeightMoments,
} from './signal-flow';
import {HOMOGENEOUS_ACTIVATIONS, nodeActivation, nodeRole} from './signal-places';
import {DEFAULT_THRESHOLDS} from './findings';
import {dryBuildModel, type PlannedVariable} from './untrusted/dry-build';
import {DEFAULT_MODEL_JSON_LIMITS} from './untrusted/limits';
import {scanJson} from './untrusted/scan';
import {
  CONTAINER_CLASSES,
  checkTopology,
  eachLayerConfig,
  locateTopology,
} from './untrusted/topology';

/** One weight of one layer of a saved model, and the initializer tfjs would draw it with. */
export interface InitializerEntry {
  /** Layer path: nested models' names joined by `/`. */
  layer: string;
  layerClass: string;
  /** The activation the layer itself applies (`'linear'` for none), null for layers without one. */
  activation: string | null;
  /**
   * What the layer's output meets next in the graph, up to the first nonlinearity or
   * normalization: `'BatchNormalization'`, `'relu'`, `'Add → relu'`, `'output'`, ... (kernels only).
   */
  follows: string | null;
  /**
   * The weight's name in its layer: `kernel`, `recurrent_kernel`, `moving_variance`;
   * `forward_lstm/kernel` inside a wrapper.
   */
  weight: string;
  initializer: string;
  /** The initializer's config, camelCase keys. */
  config: Record<string, unknown>;
  /** The weight's shape, as tfjs builds it (from the dry build; no weights file is read). */
  shape: number[];
  /** The true fan-in of a kernel (kh·kw for a depthwise kernel), null for other weights. */
  fanIn: number | null;
  /** Var(W)·fanIn (true fan-in), the variance gain of a kernel, else null. */
  gain: number | null;
}

/** Problem kinds {@link inspectModel} flags. */
export type ProblemKind =
  | 'unknownClass'
  | 'constantKernel'
  | 'seedReuse'
  | 'vanishingSignal'
  | 'explodingSignal'
  | 'saturation';

/** A flagged problem. `error`s stop the model from loading; `warning`s make it train badly. */
export interface Problem {
  kind: ProblemKind;
  severity: 'error' | 'warning';
  /** The layer concerned (the first of a stretch). */
  layer: string;
  /** All layers concerned, in graph order. */
  layers: string[];
  message: string;
}

/** What {@link inspectModel} found. */
export interface Inspection {
  modelClass: string;
  /** Layers, nested models' layers and wrapped layers included. */
  layers: number;
  entries: InitializerEntry[];
  problems: Problem[];
  /** What could not be checked, and why. */
  notes: string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const KERNEL_WEIGHTS = [
  'kernel',
  'recurrent_kernel',
  'depthwise_kernel',
  'pointwise_kernel',
  'embeddings',
];
const CONSTANTS = ['Zeros', 'Ones', 'Constant', 'ZeroBias'];
/**
 * The static rules judge the predicted RMS (√q) with the measured analysis's thresholds: a change
 * by `ratio` (64×) from the stretch's start, or by `perLayer` (2×) per weighted layer over 3 or more.
 */
const {ratio: RATIO, perLayer: PER_LAYER} = DEFAULT_THRESHOLDS;
const DRIFT_STEPS = 3;

/**
 * Whether the RMS at a point (`rms(end)`, relative to its stretch's start) crosses the thresholds:
 * by `ratio`, or over 3 or more weighted layers by `perLayer` or more per layer in every step from
 * one point to the nearest one upstream (`near`), all in one direction — as the measured rule.
 */
function crosses(
  end: number,
  rms: (i: number) => number,
  depth: (i: number) => number,
  near: (i: number) => number | null,
): boolean {
  const factor = rms(end);
  if (!(factor > 0) || !Number.isFinite(factor)) return false;
  if (Math.max(factor, 1 / factor) >= RATIO) return true;
  if (depth(end) < DRIFT_STEPS) return false;
  const down = factor < 1;
  let at = end;
  for (let prev = near(at); ; prev = near(at)) {
    // The step into the stretch's start (its reference, RMS 1) ends the chain.
    const [a, b] = [rms(at), prev === null ? 1 : rms(prev)];
    const layers = depth(at) - (prev === null ? 0 : depth(prev));
    if (layers > 0) {
      const step = a / b;
      if (!(step > 0) || step < 1 !== down) return false;
      if (Math.max(step, 1 / step) ** (1 / layers) < PER_LAYER) return false;
    }
    if (prev === null) return true;
    at = prev;
  }
}
/** Fraction of saturated outputs that is reported (as the measured analysis's `saturated`). */
const SATURATED = 0.2;

function registered(name: string): boolean {
  return ownValue(serialization.SerializationMap.getMap().classNameMap, name) !== undefined;
}

/** Unregistered layer and initializer classes, found in the JSON before tfjs is asked to build it. */
function unknownClasses(topology: Json): {problems: Problem[]; layers: number} {
  const problems: Problem[] = [];
  let layers = 0;
  eachLayerConfig(topology, ({className, config, prefix}) => {
    layers++;
    const name = typeof config.name === 'string' ? config.name : className;
    const path = `${prefix}${name}`;
    const flag = (message: string): void => {
      problems.push({
        kind: 'unknownClass',
        severity: 'error',
        layer: path,
        layers: [path],
        message,
      });
    };
    if (!registered(className) && !CONTAINER_CLASSES.includes(className))
      flag(
        `layer '${path}' has class '${className}', which is not registered: the model will not load`,
      );
    for (const [key, value] of Object.entries(config)) {
      const field = toCamelCase(key);
      if (!/Initializer$/.test(field)) continue;
      const initializer =
        typeof value === 'string'
          ? value
          : isObject(value)
            ? (value.class_name ?? value.className)
            : null;
      if (typeof initializer !== 'string') continue;
      if (
        registered(initializer) ||
        (typeof value === 'string' && TFJS_IDENTIFIERS.includes(toCamelCase(initializer)))
      )
        continue;
      flag(
        `${path}.${field}: initializer ${shown(initializer)} is not registered: the model will ` +
          `not load. ${initializerNameAdvice(initializer, typeof value === 'string' ? 'string' : 'className')}`,
      );
    }
  });
  return {problems, layers};
}

/** What a node's output meets next, up to the first nonlinearity or normalization. */
function follows(graph: ModelGraph, node: GraphNode, hops = 0): string {
  if (node.consumers.length === 0) return 'output';
  if (hops > 6) return '…';
  const parts = node.consumers.map((c) => {
    const next = graph.nodes[c];
    const role = nodeRole(next);
    if (role === 'passThrough') return follows(graph, next, hops + 1);
    if (role === 'merge') return `${next.className} → ${follows(graph, next, hops + 1)}`;
    if (role === 'activation') return nodeActivation(next) ?? next.className;
    return next.className;
  });
  const distinct = [...new Set(parts)];
  return distinct.length === 1 ? distinct[0] : distinct.join(' | ');
}

/** True when a node reaches a merge (a residual join) through pass-through layers only. */
function endsBranch(graph: ModelGraph, node: GraphNode): boolean {
  return (
    node.consumers.length > 0 &&
    node.consumers.every((c) => {
      const next = graph.nodes[c];
      const role = nodeRole(next);
      return (
        (role === 'merge' && next.inputs.length > 1) ||
        (role === 'passThrough' && endsBranch(graph, next))
      );
    })
  );
}

function describeInitializer(planned: PlannedVariable): {name: string; config: Json} {
  const init = planned.initializer;
  if (init === undefined) return {name: 'Zeros', config: {}};
  const config: Json = {};
  for (const [k, v] of Object.entries(init.getConfig() as Json)) config[toCamelCase(k)] = v;
  return {name: init.getClassName(), config};
}

/** Entries drawn by tfjs's own normal VarianceScaling, which has 0.774 of the variance it intends (upstream #8594). */
const shortNormal = new WeakSet<InitializerEntry>();
/** Entries whose initializer draws every value equal for their shape (Var(W) = 0 by formula or draw). */
const drawsConstant = new WeakSet<InitializerEntry>();
/**
 * Entries of an integer weight (the layer's `dtype` is int32, as a Keras file may say for an
 * Embedding fed integer ids) with a random initializer: tfjs draws the values and truncates them
 * to integers, so an initializer whose values lie well within (−1, 1) gives (almost) all zeros.
 */
const integerWeight = new WeakMap<InitializerEntry, {dtype: string; std: number}>();

/** Lists every weight of every layer with its initializer, shape, fan-in and gain. */
function listEntries(
  graph: ModelGraph,
  variables: Map<LayerVariable, PlannedVariable>,
): {
  entries: InitializerEntry[];
  byNode: Map<number, Map<string, WeightMoments & {shape: number[]}>>;
} {
  const entries: InitializerEntry[] = [];
  const byNode = new Map<number, Map<string, WeightMoments & {shape: number[]}>>();
  const seen = new Map<unknown, Map<string, WeightMoments & {shape: number[]}>>();
  const cache = new Map<string, {variance: number | null; meanSquare: number | null}>();
  for (const node of graph.nodes) {
    const known = seen.get(node.layer);
    if (known !== undefined) {
      byNode.set(node.index, known); // a shared layer: listed once, its weights known at every call
      continue;
    }
    const moments = new Map<string, WeightMoments & {shape: number[]}>();
    const planned = node.layer.weights
      .map((w) => ({w, p: variables.get(w)}))
      .filter((x): x is {w: LayerVariable; p: PlannedVariable} => x.p !== undefined);
    const shapes = new Map(planned.map(({w, p}) => [p.name, w.shape as number[]]));
    const fans = new Map(
      kernelFans(
        node.className === 'TimeDistributed'
          ? (planned[0]?.p.layer.getClassName() ?? '')
          : node.className,
        node.layer.getConfig() as Json,
        shapes,
      ).map((f) => [f.weight, f.fanIn]),
    );
    const follow = nodeRole(node) === 'weighted' ? follows(graph, node) : null;
    for (const {w, p} of planned) {
      const {name, config} = describeInitializer(p);
      const shape = [...(w.shape as number[])];
      const key = JSON.stringify([name, config, shape]);
      let m = cache.get(key);
      if (m === undefined) {
        m = {
          variance: shape.length >= 2 ? kernelVariance(name, config, shape) : null,
          meanSquare: weightMeanSquare(name, config, shape),
        };
        cache.set(key, m);
      }
      moments.set(p.name, {...m, shape});
      const fanIn = fans.get(p.name) ?? null;
      const inner = p.layer === node.layer ? '' : `${p.layer.name}/`;
      const entry: InitializerEntry = {
        layer: node.path,
        layerClass: node.className,
        activation: nodeActivation(node),
        follows: fanIn === null ? null : follow,
        weight: `${inner}${p.name}`,
        initializer: name,
        config,
        shape,
        fanIn,
        gain: fanIn === null || m.variance === null ? null : m.variance * fanIn,
      };
      if (m.variance === 0) drawsConstant.add(entry);
      // Flagged where the values' std is under 0.5: then most of them lie within (−1, 1).
      if (
        (w.dtype === 'int32' || w.dtype === 'bool') &&
        !CONSTANTS.includes(name) &&
        m.variance !== null &&
        m.variance < 0.25
      )
        integerWeight.set(entry, {dtype: w.dtype, std: Math.sqrt(m.variance)});
      if (
        name === 'VarianceScaling' &&
        config.distribution === 'normal' &&
        !(p.initializer instanceof BaseInitializer)
      )
        shortNormal.add(entry);
      entries.push(entry);
    }
    seen.set(node.layer, moments);
    byNode.set(node.index, moments);
  }
  return {entries, byNode};
}

/** An initializer's numeric and string options, for a message: `sparsity=0.9 std=0.01`. */
function describeOptions(config: Json): string {
  const parts = Object.entries(config)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(' ') : 'default options';
}

function flagConstants(graph: ModelGraph, entries: InitializerEntry[]): Problem[] {
  const nodes = new Map(graph.nodes.map((n) => [n.path, n]));
  const constant = (e: InitializerEntry): boolean =>
    CONSTANTS.includes(e.initializer) || drawsConstant.has(e) || integerWeight.has(e);
  // A recurrent layer whose input kernel is constant still tells its units apart through a
  // recurrent kernel that is not: they start alike, but symmetry breaks.
  const broken = (e: InitializerEntry): InitializerEntry | undefined =>
    e.weight.split('/').pop() === 'kernel'
      ? entries.find(
          (r) =>
            r.layer === e.layer &&
            r.weight === e.weight.replace(/kernel$/, 'recurrent_kernel') &&
            !constant(r),
        )
      : undefined;
  const consequence = (e: InitializerEntry): string => {
    const recurrent = broken(e);
    return recurrent === undefined
      ? 'every unit computes the same thing and symmetry never breaks'
      : `every unit gets the same input weights, and only ${recurrent.weight} ` +
          `(${recurrent.initializer}) tells the units apart`;
  };
  return entries
    .filter((e) => KERNEL_WEIGHTS.includes(e.weight.split('/').pop() as string) && constant(e))
    .filter((e) => {
      // A zero kernel at the end of a residual branch (Fixup, SkipInit, "zero-init residual") is a
      // deliberate choice: the block starts as the identity and the kernel still gets a gradient.
      const node = nodes.get(e.layer);
      return !(
        node !== undefined &&
        (e.initializer === 'Zeros' || e.initializer === 'ZeroBias') &&
        (e.activation === 'linear' || e.activation === null) &&
        endsBranch(graph, node)
      );
    })
    .map((e) => ({
      kind: 'constantKernel' as const,
      severity: 'warning' as const,
      layer: e.layer,
      layers: [e.layer],
      message: CONSTANTS.includes(e.initializer)
        ? `${e.layer}: ${e.weight} starts constant (${e.initializer}): ${consequence(e)}`
        : integerWeight.has(e)
          ? `${e.layer}: ${e.weight} is ${integerWeight.get(e)?.dtype} (the layer's dtype), so the values ` +
            `${e.initializer} (${describeOptions(e.config)}) draws are truncated to integers: ` +
            `those within (−1, 1) — most of them, at a std of ` +
            `${integerWeight.get(e)?.std.toPrecision(2)} — become 0, and the ` +
            `weight starts (nearly) constant; give the layer dtype float32 (integer ids go in ` +
            `a float32 input as well)`
          : `${e.layer}: ${e.weight} starts constant: ${e.initializer} ` +
            `(${describeOptions(e.config)}) draws every value of a [${e.shape.join(', ')}] kernel ` +
            `equal (variance 0), so ${consequence(e)}`,
    }));
}

function flagSeedReuse(entries: InitializerEntry[]): Problem[] {
  const groups = new Map<string, InitializerEntry[]>();
  for (const e of entries) {
    const seed = e.config.seed;
    if (!KERNEL_WEIGHTS.includes(e.weight.split('/').pop() as string) || typeof seed !== 'number')
      continue;
    const key = JSON.stringify([e.initializer, e.config, e.shape]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const problems: Problem[] = [];
  for (const group of groups.values()) {
    // The forward and backward layers of one Bidirectional share their config (and seed) by
    // construction; they read the sequence in opposite directions, so equal starts do no harm.
    if (new Set(group.map((e) => e.layer)).size < 2) continue;
    const [first] = group;
    const names = group.map((e) => `${e.layer}.${e.weight}`).join(', ');
    problems.push({
      kind: 'seedReuse',
      severity: 'warning',
      layer: first.layer,
      layers: group.map((e) => e.layer),
      message:
        `${first.initializer} with seed ${String(first.config.seed)} ` +
        `is reused by ${names} on same-shaped kernels ` +
        `[${first.shape.join(', ')}]: they start with ` +
        `identical weights`,
    });
  }
  return problems;
}

/** The Keras name of a VarianceScaling preset (`Glorot uniform`), for messages; null for other configs. */
function presetName(e: InitializerEntry): string | null {
  if (e.initializer !== 'VarianceScaling') return null;
  const {scale, mode, distribution} = e.config as {
    scale?: unknown;
    mode?: unknown;
    distribution?: unknown;
  };
  const family =
    scale === 1 && mode === 'fanAvg'
      ? 'Glorot'
      : scale === 2 && mode === 'fanIn'
        ? 'He'
        : scale === 1 && mode === 'fanIn'
          ? 'LeCun'
          : null;
  return family === null || (distribution !== 'uniform' && distribution !== 'normal')
    ? null
    : `${family} ${String(distribution)}`;
}

const fmt = (x: number): string =>
  x >= 1e4 || x < 1e-2
    ? x.toExponential(1).replace('e+', 'e')
    : x >= 10
      ? x.toFixed(0)
      : x.toPrecision(2);

/** The schemes of a stretch's weighted layers, in words: `GlorotUniform (Var(W)·fanIn 1.0) before relu`. */
function schemes(
  graph: ModelGraph,
  signal: NodeSignal[],
  members: number[],
  entries: Map<string, InitializerEntry[]>,
): string {
  const seen = new Map<string, number>();
  let short = false;
  for (const i of members) {
    if (signal[i].role !== 'weighted') continue;
    for (const e of entries.get(graph.nodes[i].path) ?? []) {
      if (e.gain === null) continue;
      const preset = presetName(e);
      if (shortNormal.has(e)) short = true;
      const key =
        `${e.initializer}${preset === null ? '' : ` = ${preset}`} ` +
        `(Var(W)·fanIn ${fmt(e.gain)}) ` +
        `before ${signal[i].activation ?? 'linear'}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const sorted = [...seen].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 2).map(([k, n]) => (n > 1 ? `${n}× ${k}` : k));
  const hint = short
    ? "; tfjs's normal VarianceScaling draws 0.77 of its intended variance: useFixedBuiltins() corrects it"
    : '';
  return shown.join(', ') + (sorted.length > 2 ? `, …` : '') + hint;
}

/** Vanishing or exploding signal within a stretch, and saturated layers, from the propagation. */
function flagSignal(
  graph: ModelGraph,
  signal: NodeSignal[],
  entries: InitializerEntry[],
  notes: string[],
): Problem[] {
  const byLayer = new Map<string, InitializerEntry[]>();
  for (const e of entries) byLayer.set(e.layer, [...(byLayer.get(e.layer) ?? []), e]);
  const problems: Problem[] = [];
  const stretches = new Map<number, number[]>();
  const saturated: Problem[] = [];
  signal.forEach((s, i) => {
    if (s.point && s.q !== null && s.q > 0 && s.base > 0)
      stretches.set(s.origin, [...(stretches.get(s.origin) ?? []), i]);
    const classes = graph.nodes[i].outputShapes[0]?.at(-1) ?? null;
    const sat =
      s.preActivation === null || s.activation === null
        ? null
        : s.activation === 'softmax'
          ? classes === null
            ? null
            : oneHotShare(classes, s.preActivation)
          : saturatedFraction(s.activation, s.preActivation, s.preActivationMean);
    if (sat !== null && sat >= SATURATED) {
      const path = graph.nodes[i].path;
      saturated.push({
        kind: 'saturation',
        severity: 'warning',
        layer: path,
        layers: [path],
        message:
          s.activation === 'softmax'
            ? `${path}: about ${Math.round(100 * sat)}% of its softmax rows start one-hot ` +
              `(largest probability ≥ 0.99; logits std ${fmt(Math.sqrt(s.preActivation as number))}; ` +
              `${schemes(graph, signal, [i], byLayer)}): the model starts certain of one class`
            : `${path}: about ${Math.round(100 * sat)}% of ` +
              `its ${s.activation} outputs start saturated (pre-activation ` +
              `std ${fmt(Math.sqrt(s.preActivation as number))}; ${schemes(graph, signal, [i], byLayer)}): ` +
              `their gradient is nearly 0`,
      });
    }
  });
  if (saturated.length > 3) {
    const layers = saturated.map((p) => p.layer);
    problems.push({
      kind: 'saturation',
      severity: 'warning',
      layer: layers[0],
      layers,
      message:
        `${layers.length} layers (${layers[0]} ` +
        `… ${layers[layers.length - 1]}) start with a saturated ` +
        `share of their outputs; the first: ${saturated[0].message}`,
    });
  } else problems.push(...saturated);
  for (const points of stretches.values()) {
    // A scale-sensitive nonlinearity is judged by its input (its pre-activation), as measured; a
    // homogeneous one (ReLU, linear) by what it hands on.
    const level = (i: number): number => {
      const p = signal[i];
      const sensitive = !HOMOGENEOUS_ACTIVATIONS.includes(p.activation ?? 'linear');
      return sensitive && p.preActivation !== null ? p.preActivation : (p.q as number);
    };
    const rms = (i: number): number => Math.sqrt(level(i) / signal[i].base);
    // The nearest point upstream of each node of the stretch, following the graph.
    const inStretch = new Set(points);
    const nearest = new Map<number, number | null>();
    const near = (i: number): number | null => {
      if (nearest.has(i)) return nearest.get(i) ?? null;
      let best: number | null = null;
      for (const p of graph.nodes[i].inputs) {
        if (
          !('node' in p) ||
          signal[p.node].origin !== signal[i].origin ||
          p.node === signal[i].origin
        )
          continue;
        const cand = inStretch.has(p.node) ? p.node : near(p.node);
        if (cand !== null && (best === null || signal[cand].depth > signal[best].depth))
          best = cand;
      }
      nearest.set(i, best);
      return best;
    };
    const firing = points.filter(
      (i) => level(i) > 0 && crosses(i, rms, (k) => signal[k].depth, near),
    );
    if (firing.length === 0) notes.push(...shortfallNote(graph, signal, points, rms, byLayer));
    const low = firing.filter((i) => rms(i) < 1);
    const high = firing.filter((i) => rms(i) > 1);
    for (const [candidates, vanishing] of [
      [low, true],
      [high, false],
    ] as Array<[number[], boolean]>) {
      if (candidates.length === 0) continue;
      const end = candidates.reduce((a, b) =>
        Math.abs(Math.log(rms(b))) > Math.abs(Math.log(rms(a))) ? b : a,
      );
      const members = points.filter((i) => i <= end);
      const first = graph.nodes[members[0]].path;
      const last = graph.nodes[end].path;
      const depth = Math.max(1, signal[end].depth);
      const std = vanishing ? 1 / rms(end) : rms(end);
      const origin = signal[end].origin;
      const from = origin < 0 ? 'the input' : graph.nodes[origin].path;
      problems.push({
        kind: vanishing ? 'vanishingSignal' : 'explodingSignal',
        severity: 'warning',
        layer: first,
        layers: members.map((i) => graph.nodes[i].path),
        message:
          `signal RMS ${vanishing ? 'falls' : 'grows'} ` +
          `about ${fmt(std)}× from ${from} to ${last} across ${depth} ` +
          `weighted layer(s) without normalization ` +
          `(${fmt(std ** (1 / depth))}× per ` +
          `layer; ${schemes(graph, signal, members, byLayer)}): ${vanishing ? 'vanishing' : 'exploding'} signal`,
      });
    }
  }
  return problems;
}

/** Below which change of the RMS a stretch is not worth a note: a scheme's ordinary spread. */
const NOTE_FACTOR = 4;

/**
 * A note, not a problem, for a stretch that drifts by 4× or more but stays within the thresholds
 * of a fault while tfjs's short normal VarianceScaling (0.77 of its variance) is part of the cause:
 * a loss that one call corrects.
 */
function shortfallNote(
  graph: ModelGraph,
  signal: NodeSignal[],
  points: number[],
  rms: (i: number) => number,
  byLayer: Map<string, InitializerEntry[]>,
): string[] {
  const end = points.reduce((a, b) => (rms(b) < rms(a) ? b : a));
  const members = points.filter((i) => i <= end);
  const short = members.some((i) =>
    (byLayer.get(graph.nodes[i].path) ?? []).some((e) => shortNormal.has(e)),
  );
  if (!short || 1 / rms(end) < NOTE_FACTOR) return [];
  const origin = signal[end].origin;
  const from = origin < 0 ? 'the input' : graph.nodes[origin].path;
  const depth = Math.max(1, signal[end].depth);
  return [
    `signal RMS falls about ${fmt(1 / rms(end))}× from ${from} to ${graph.nodes[end].path} ` +
      `across ${depth} weighted layer(s) (within the thresholds of a fault; ` +
      `${schemes(graph, signal, members, byLayer)})`,
  ];
}

/**
 * Inspects a saved model (the parsed `model.json`, or a bare topology) without loading it or its
 * weights: tfjs builds the model with every weight replaced by a placeholder (the dry build of
 * `validateModelJSON`, which allocates nothing), so every weight tfjs would create is listed with
 * its exact shape and the initializer tfjs would draw it with — nested models, shared layers,
 * wrappers and RNN cells included, weights that do not exist (`useBias: false`, `scale: false`)
 * left out, with or without a weights manifest. The rules then follow the real graph:
 *
 * - **unknownClass** (error): a layer or initializer class that is not registered — loading would
 *   fail (names tfjs accepts, such as `"glorot_uniform"`, are fine);
 * - **constantKernel**: a kernel, recurrent kernel or embedding that starts constant (zeros, ones):
 *   its units never become different (an int32 layer's random weights of std under 0.5 count:
 *   tfjs truncates them to mostly 0) — except a zero kernel that ends a residual branch (Fixup,
 *   SkipInit), which is deliberate;
 * - **seedReuse**: one initializer with one seed on several same-shaped kernels — identical weights;
 * - **vanishingSignal** / **explodingSignal**: the predicted RMS of the signal (see
 *   `propagateSignal`: Var(W)·fanIn with true fan-ins, each activation's E[f(z)²] and E[f(z)],
 *   normalization resets, residual sums) changes ≥ 64× within a stretch without normalization, or
 *   ≥ 2× per weighted layer in every step over 3 or more;
 * - **saturation**: ≥ 20% of a tanh/sigmoid layer's outputs predicted within 1% of their bounds.
 *
 * A layer whose output is normalized before any nonlinearity is never judged by its scale:
 * normalization erases it. The rules and their reasons are in docs/model-tools.md.
 *
 * @throws InitializerError when the JSON is not a tfjs LayersModel topology, or tfjs cannot build it.
 * @example
 * ```ts
 * const inspection = await inspectModel(JSON.parse(await fs.readFile('model.json', 'utf8')));
 * for (const p of inspection.problems) console.log(p.severity, p.message);
 * ```
 */
export async function inspectModel(modelJson: unknown): Promise<Inspection> {
  if (!isObject(modelJson))
    throw new InitializerError(
      'inspectModel',
      'model.json',
      'expected a JSON object (a tfjs model.json or a model topology)',
    );
  const limits = {...DEFAULT_MODEL_JSON_LIMITS};
  let summary;
  try {
    scanJson(modelJson, limits);
    summary = checkTopology(modelJson, limits);
  } catch (e) {
    // The file checks of validateModelJSON, reported as inspectModel's.
    if (e instanceof InitializerError)
      throw new InitializerError(
        'inspectModel',
        e.parameter,
        e.message.replace(/^validateModelJSON: /, ''),
      );
    throw e;
  }
  const {topology, path} = locateTopology(modelJson);
  const {problems, layers} = unknownClasses(topology);
  const out: Inspection = {
    modelClass: summary.modelClass,
    layers,
    entries: [],
    problems,
    notes: [],
  };
  if (problems.length > 0) {
    out.notes.push(
      'the model has unregistered classes, so tfjs cannot build ' +
        'it: weights, shapes and the signal rules are not checked',
    );
    return out;
  }
  // tfjs refuses a Sequential model saved without an input shape: the dry build fails with its words.
  const {model, variables} = await dryBuildModel(topology, path, limits, 0);
  const graph = modelGraph(model);
  const {entries, byNode} = listEntries(graph, variables);
  out.entries = entries;
  const signal = propagateSignal(graph, byNode);
  out.problems.push(
    ...flagConstants(graph, entries),
    ...flagSeedReuse(entries),
    ...flagSignal(graph, signal, entries, out.notes),
  );
  return out;
}
