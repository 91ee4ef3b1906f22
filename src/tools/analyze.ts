import {Tensor, getBackend} from '@tensorflow/tfjs-core';
import type {Layer} from '../core/tfjs';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {fail} from '../core/errors';
import {ownValue} from '../core/own';
import {knownOptions, seed as seedOption} from '../core/options';
import {RECTIFIERS, SATURATING, activationOf} from './activation';
import {DEFAULT_THRESHOLDS, checkThresholds, findProblems} from './findings';
import type {InitializationReport, LayerDiagnostics, Thresholds} from './diagnostics';
import {checkBatch, checkModel, modelGraph, type GraphNode, type ModelGraph} from './graph';
import {
  channelsOf,
  runAnalysisPass,
  type AnalysisLoss,
  type AnalysisProgress,
  type PassRecord,
} from './analysis-run';
import {
  deadUnits,
  groupRms,
  histogram,
  meanStd,
  rowSpread,
  saturatedFraction,
  oneHotFraction,
  type GroupedValue,
} from './stats';
import {HOMOGENEOUS_ACTIVATIONS, joinKind, signalPlaces, type SignalPlace} from './signal-places';
import {unitsOf} from './unit-symmetry';

export type {AnalysisLoss, AnalysisProgress} from './analysis-run';

/**
 * The level (RMS, over the batch and each group) of every float model input that feeds no
 * `Embedding` (whose inputs are integer ids, not a signal), by stretch name (`input 0`).
 */
function inputLevels(
  graph: ModelGraph,
  inputs: Tensor[],
  size: number,
  groups: number,
): Record<string, GroupedValue> {
  const levels: Record<string, GroupedValue> = {};
  inputs.forEach((t, k) => {
    const ids = graph.nodes.some(
      (n) => n.className === 'Embedding' && n.inputs.some((p) => 'input' in p && p.input === k),
    );
    if (ids || t.dtype !== 'float32') return;
    levels[`input ${k}`] = groupRms(t.dataSync(), size, groups);
  });
  return levels;
}

/** Options of {@link analyzeInitialization}. */
export interface AnalyzeOptions {
  /** Targets for the batch (one per model output). Without them, see {@link AnalyzeOptions.seed}. */
  labels?: Tensor | Tensor[];
  /**
   * Loss with labels. Default: the model's compiled loss when it is one of these, else
   * categorical cross-entropy after a softmax output, binary after a sigmoid, squared error otherwise.
   */
  loss?: AnalysisLoss;
  /**
   * Without labels the backward pass starts from a fixed random direction: the loss is
   * Σ(output ⊙ R) / batch with R ~ N(0, 1) drawn with this seed (default 0), so every output element
   * receives a gradient of the same scale and the table shows only how layers change it. Dropout
   * is seeded from it too: the same model and batch give the same report, run after run.
   */
  seed?: number;
  /**
   * Call layers as in a training step (default true): batch normalization normalizes with the
   * batch's statistics and dropout drops units, which is what the first steps of training see. In
   * inference mode a freshly initialized BatchNormalization divides by its initial moving variance
   * (1) instead of the batch's, so a net whose convolutions shrink the signal looks as if the signal
   * vanished (10¹⁰× on a fresh MobileNetV2) although training would normalize it at every layer.
   * `false` analyses the model as `predict` runs it — right for a trained model.
   * The model is left as it was either way (moving statistics restored; see `withAnalysisPass`).
   */
  training?: boolean;
  /**
   * What the model's weights are, for the wording of the report: `'fresh'` (default: drawn by
   * its initializers) or `'trained'` — then the report's first line and every finding say that
   * they describe trained weights, not an initialization.
   */
  weights?: 'fresh' | 'trained';
  /**
   * Groups of consecutive examples (default 4, at most the batch size) whose measurements are kept
   * apart: a trend or saturation is reported only when it crosses its threshold in every group,
   * and the finding gives the range over the groups — a measurement that holds on one draw of
   * random inputs but not another is noise.
   */
  groups?: number;
  /** Histogram bins per layer. Default 40. */
  bins?: number;
  /** When a measurement becomes a finding. */
  thresholds?: Partial<Thresholds>;
  /** Called after each layer of the forward pass, the backward pass and the statistics. */
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * Fewest examples (rows per unit) on which a ReLU unit that is 0 everywhere counts as dead: a live
 * unit is 0 on 12 rows with probability 2⁻¹².
 */
const DEAD_MIN_ROWS = 12;

/**
 * Least row spread ({@link rowSpread}) of a layer's input for its ReLU units to be judged dead: when
 * every row is about the same point (a global average of random noise feeding a Dense layer), a
 * unit off on all of them is off on one point, not dead.
 */
const DEAD_MIN_SPREAD = 0.25;

/** Default number of groups of examples (see {@link AnalyzeOptions.groups}). */
const DEFAULT_GROUPS = 4;

const LOSSES: readonly AnalysisLoss[] = [
  'categoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
];

function chooseLoss(model: LayersModel, options: AnalyzeOptions): AnalysisLoss {
  if (options.loss !== undefined) return options.loss;
  const compiled = (model as unknown as {loss?: unknown}).loss;
  if (LOSSES.includes(compiled as AnalysisLoss)) return compiled as AnalysisLoss;
  const last = model.layers[model.layers.length - 1] as Layer | undefined;
  const act =
    last === undefined
      ? null
      : activationOf(last.getClassName(), last.getConfig() as Record<string, unknown>);
  return act === 'softmax'
    ? 'categoricalCrossentropy'
    : act === 'sigmoid'
      ? 'binaryCrossentropy'
      : 'meanSquaredError';
}

function checkOptions(options: AnalyzeOptions): AnalyzeOptions {
  const known = knownOptions('analyzeInitialization', options, [
    'labels',
    'loss',
    'seed',
    'training',
    'weights',
    'groups',
    'bins',
    'thresholds',
    'onProgress',
  ]) as AnalyzeOptions;
  const {seed, bins, loss, training, labels, weights, groups, onProgress} = known;
  if (training !== undefined && typeof training !== 'boolean')
    fail('analyzeInitialization', 'training', 'true or false', training);
  if (weights !== undefined && weights !== 'fresh' && weights !== 'trained')
    fail('analyzeInitialization', 'weights', "'fresh' or 'trained'", weights);
  if (
    labels !== undefined &&
    (Array.isArray(labels) ? labels : [labels]).some((t) => !(t instanceof Tensor))
  ) {
    fail(
      'analyzeInitialization',
      'labels',
      'a tf.Tensor, or an array of them (one per model output)',
      labels,
    );
  }
  checkThresholds('analyzeInitialization', known.thresholds);
  seedOption()(seed, 'analyzeInitialization', 'seed');
  if (bins !== undefined && (!Number.isSafeInteger(bins) || bins < 2 || bins > 1000))
    fail('analyzeInitialization', 'bins', 'an integer in [2, 1000]', bins);
  if (groups !== undefined && (!Number.isSafeInteger(groups) || groups < 1 || groups > 64))
    fail('analyzeInitialization', 'groups', 'an integer in [1, 64]', groups);
  if (onProgress !== undefined && typeof onProgress !== 'function')
    fail('analyzeInitialization', 'onProgress', 'a function', onProgress);
  if (loss !== undefined && !LOSSES.includes(loss)) {
    fail(
      'analyzeInitialization',
      'loss',
      "'categoricalCrossentropy', 'binaryCrossentropy' or 'meanSquaredError'",
      loss,
    );
  }
  return known;
}

/**
 * In inference mode a BatchNormalization applies its moving statistics: a trained layer's
 * normalize; a fresh layer's (mean 0, variance 1) change nothing, so it does not cut a stretch.
 */
function freshStatistics(node: GraphNode): boolean {
  if (node.className !== 'BatchNormalization') return false;
  const stat = (name: string): ArrayLike<number> | undefined =>
    node.layer.weights
      .find((w) => w.originalName.endsWith(name))
      ?.read()
      .dataSync();
  const [mean, variance] = [stat('moving_mean'), stat('moving_variance')];
  return (
    mean !== undefined &&
    variance !== undefined &&
    Array.from(mean).every((v) => v === 0) &&
    Array.from(variance).every((v) => v === 1)
  );
}

/** `fraction` of each group of consecutive examples. */
function byGroups(
  values: Float32Array,
  batch: number,
  groups: number,
  fraction: (part: Float32Array) => number,
): number[] {
  const g = Math.max(1, Math.min(groups, batch));
  const per = values.length / batch;
  return Array.from({length: g}, (_, k) =>
    fraction(
      values.subarray(Math.floor((k * batch) / g) * per, Math.floor(((k + 1) * batch) / g) * per),
    ),
  );
}

/**
 * The saturated share of a layer's outputs: tanh, sigmoid, softsign outputs within 1% of a bound;
 * a softmax's rows that are one-hot (largest probability ≥ 0.99). Null for other activations.
 */
function saturation(
  activation: string | null,
  units: number,
): ((v: Float32Array) => number) | null {
  if (activation === 'softmax') return (v) => oneHotFraction(v, units);
  const sat = activation === null ? undefined : ownValue(SATURATING, activation);
  return sat === undefined ? null : (v) => saturatedFraction(v, sat.centre, sat.halfWidth);
}

/**
 * The fraction of a rectifier layer's units that are dead on the batch, units with all-zero weights
 * left out. With the pre-activation z at hand (ReLU, ReLU6): a unit whose z stays below zero on every
 * row by more than the std of the layer's z — switched off by its weights or bias, not by the
 * chance of this batch (a unit just below zero on these rows turns on for other inputs); or every z
 * of the layer is the same non-positive value (downstream of a zero layer). Otherwise: a unit that
 * outputs exactly 0 on every row.
 */
function deadFraction(record: PassRecord, activation: string, skip: ReadonlySet<number>): number {
  const spread = record.preSpread;
  if (spread === null || activation === 'thresholdedRelu')
    return deadUnits(record.values, record.units, skip) / record.units;
  let dead = 0;
  spread.max.forEach((max, u) => {
    if (!skip.has(u) && (spread.std === 0 ? max <= 0 : max < -spread.std)) dead++;
  });
  return dead / spread.max.length;
}

function diagnose(
  record: PassRecord,
  context: {
    graph: ModelGraph;
    grads: Map<string, Float32Array>;
    bins: number;
    batch: number;
    groups: number;
    place: SignalPlace;
    stretch: string;
    /** How much the layer's (first) input varies across rows; null when unknown. */
    inputSpread: number | null;
  },
): LayerDiagnostics {
  const {node} = record;
  const {grads, batch, groups, place} = context;
  const layer = node.layer;
  const className = node.className;
  const activation = activationOf(className, layer.getConfig() as Record<string, unknown>);
  const {mean: activationMean, std: activationStd} = meanStd(record.values);
  const saturated = saturation(activation, record.units);
  const weightVar = layer.weights.find((w) => grads.has(w.name));
  const weightGrad = weightVar === undefined ? undefined : grads.get(weightVar.name);
  const units = unitsOf(layer, grads);
  const rows = record.values.length / record.units;
  const output = groupRms(record.values, batch, groups);
  const outputGradient =
    record.gradient === undefined ? null : groupRms(record.gradient, batch, groups);
  const channels = channelsOf(node, record.shape);
  const join = joinKind(context.graph, node);
  const sensitive =
    record.pre !== null && !HOMOGENEOUS_ACTIVATIONS.includes(activation ?? 'linear');
  return {
    name: node.path,
    className,
    activation,
    units: record.units,
    weighted: units !== null,
    signal: place.point,
    stretch: context.stretch,
    depth: place.depth,
    positions: Math.max(1, Math.round(record.values.length / (batch * channels))),
    inputs: node.inputs.map((p) =>
      'node' in p ? context.graph.nodes[p.node].path : `input ${p.input}`,
    ),
    mark: place.role === 'normalization' ? 'normalization' : join,
    // A scale-sensitive nonlinearity (tanh, sigmoid, ELU, ReLU6, ...) is followed through its input,
    // its pre-activation: what decides whether it saturates (a sigmoid head's output std is a quarter
    // of its input's by the slope alone, and says nothing about initialization). A homogeneous one
    // (ReLU, LeakyReLU, linear) does not care about its input's scale: what it hands on counts.
    level: sensitive ? (record.pre as GroupedValue) : output,
    gradientLevel: sensitive ? record.preGradient : outputGradient,
    activationMean,
    activationStd,
    saturated: saturated === null ? null : saturated(record.values),
    saturatedByGroup: saturated === null ? null : byGroups(record.values, batch, groups, saturated),
    // Units with all-zero weights are reported as such (zeroUnits), not again as dead ReLUs.
    dead:
      activation !== null &&
      RECTIFIERS.includes(activation) &&
      rows >= DEAD_MIN_ROWS &&
      (context.inputSpread === null || context.inputSpread >= DEAD_MIN_SPREAD)
        ? deadFraction(record, activation, new Set(units?.zero ?? []))
        : null,
    gradientStd: record.gradient === undefined ? null : meanStd(record.gradient).std,
    weight: weightVar === undefined ? null : weightVar.originalName,
    weightGradientStd: weightGrad === undefined ? null : meanStd(weightGrad).std,
    weightStd:
      weightVar === undefined ? null : meanStd(weightVar.read().dataSync() as Float32Array).std,
    symmetricGroups: units === null ? [] : units.groups,
    symmetryStuck: units !== null && units.stuck,
    zeroUnits: units === null ? [] : units.zero,
    zeroUnitsStuck: units !== null && units.zeroStuck,
    activationHistogram: histogram(record.values, context.bins),
    gradientHistogram:
      record.gradient === undefined ? null : histogram(record.gradient, context.bins),
  };
}

/**
 * Diagnoses a model's initialization on one batch: one forward and one backward pass, layer by
 * layer (nested models expanded), measuring per layer
 *
 * - the mean and std of its output (the activations), and the RMS of the signal the trend rules
 *   follow — its pre-activation when it applies a nonlinearity — and of its gradient, over the
 *   batch and in each of `groups` groups of examples;
 * - the fraction of saturated outputs (tanh, sigmoid, softsign: within 1% of their bounds) or of
 *   dead units (ReLU family: exactly 0 on every example of the batch);
 * - the std of the back-propagated gradient ∂loss/∂output and of the gradient reaching its kernel;
 * - symmetric units: groups of units whose incoming weights and bias are identical, which receive
 *   identical gradients and never become different (the zero-init failure);
 *
 * and turns them into plain-language {@link Finding}s (vanishing or exploding signal or gradient,
 * symmetry, dead units, saturation, weights no gradient reaches), each kept only when it holds in
 * every group of examples. The rules, what they measure and why their thresholds separate a fault
 * from a healthy network: docs/model-tools.md. Render the result with {@link renderTextReport}
 * (text) or {@link renderHtmlReport} (a self-contained HTML page with per-layer histograms, as in
 * Glorot & Bengio 2010, Figs. 6–7).
 *
 * Deterministic: the same model, batch and options give the same report (the random direction of
 * the loss and dropout are drawn from `seed`, default 0). The weights are not changed (batch
 * normalization's moving statistics are restored). Leaves `tf.memory().numTensors` unchanged. The
 * batch must fit in memory a few times over: every layer's output and gradient is copied to the host.
 *
 * @throws InitializerError naming the layer when one fails in the forward or backward pass.
 * @example
 * ```ts
 * const report = analyzeInitialization(model, xs, {labels: ys});
 * console.log(renderTextReport(report));
 * ```
 * @see Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010.
 */
export function analyzeInitialization(
  model: LayersModel,
  batch: Tensor | Tensor[],
  options: AnalyzeOptions = {},
): InitializationReport {
  checkModel('analyzeInitialization', model);
  options = checkOptions(options);
  const inputs = checkBatch('analyzeInitialization', model, batch);
  const graph = modelGraph(model);
  const training = options.training ?? true;
  const seed = options.seed ?? 0;
  const size = inputs[0].shape[0] ?? 1;
  const groups = Math.max(1, Math.min(options.groups ?? DEFAULT_GROUPS, size));
  const places = signalPlaces(graph, {normalizes: (node) => training || !freshStatistics(node)});
  const labels =
    options.labels === undefined
      ? null
      : Array.isArray(options.labels)
        ? options.labels
        : [options.labels];
  const pass = runAnalysisPass(model, graph, inputs, {
    labels,
    loss: chooseLoss(model, options),
    seed,
    training,
    groups,
    onProgress: options.onProgress,
  });
  const stretchName = (origin: number): string =>
    origin < 0 ? `input ${-1 - origin}` : graph.nodes[origin].path;
  const byNode = new Map(pass.records.map((r) => [r.node.index, r]));
  const spreads = new Map<string, number>();
  const inputSpread = (record: PassRecord): number | null => {
    const activation = activationOf(
      record.node.className,
      record.node.layer.getConfig() as Record<string, unknown>,
    );
    const port = record.node.inputs[0];
    if (activation === null || !RECTIFIERS.includes(activation) || port === undefined) return null;
    const key = 'node' in port ? `n${port.node}` : `i${port.input}`;
    if (!spreads.has(key)) {
      const from = 'node' in port ? byNode.get(port.node) : undefined;
      const values =
        'node' in port
          ? from?.values
          : (inputs[port.input].dataSync() as ArrayLike<number> | undefined);
      const shape = 'node' in port ? from?.shape : inputs[port.input].shape;
      if (values === undefined || shape === undefined) return null;
      spreads.set(key, rowSpread(values, shape[shape.length - 1] ?? 1));
    }
    return spreads.get(key) ?? null;
  };
  const layers = pass.records.map((record, i) => {
    const place = places[record.node.index];
    const diagnostics = diagnose(record, {
      graph,
      grads: pass.grads,
      bins: options.bins ?? 40,
      batch: size,
      groups,
      place,
      stretch: stretchName(place.origin),
      inputSpread: inputSpread(record),
    });
    options.onProgress?.({phase: 'statistics', done: i + 1, total: pass.records.length});
    return diagnostics;
  });
  const thresholds = {...DEFAULT_THRESHOLDS, ...(options.thresholds ?? {})};
  const weights = options.weights ?? 'fresh';
  return {
    model: model.name,
    weights,
    seed,
    batchSize: size,
    groups,
    training,
    backend: getBackend(),
    loss: {name: pass.lossName, value: pass.lossValue},
    layers,
    findings: findProblems(layers, thresholds, {
      weights,
      groups,
      batch: size,
      inputLevels: inputLevels(graph, inputs, size, groups),
    }),
  };
}
