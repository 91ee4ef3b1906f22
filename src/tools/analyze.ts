import {
  Tensor,
  add,
  clone,
  customGrad,
  div,
  engine,
  getBackend,
  keep,
  mean,
  mul,
  sum,
  tensor,
  tidy,
  variable as tfVariable,
  variableGrads,
  type GradSaveFunc,
  type Scalar,
  type Variable,
} from '@tensorflow/tfjs-core';
import type {Layer} from '../core/tfjs';
import {metrics, type LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError, fail} from '../core/errors';
import {ownValue} from '../core/own';
import {knownOptions, seed as seedOption} from '../core/options';
import {fillNormal} from '../random/samplers';
import {RECTIFIERS, SATURATING, activationOf, linearActivation} from './activation';
import {DEFAULT_THRESHOLDS, checkThresholds, findProblems} from './findings';
import type {InitializationReport, LayerDiagnostics, Thresholds} from './diagnostics';
import {
  applyLayer,
  checkBatch,
  checkModel,
  modelGraph,
  runWalk,
  walkModel,
  type GraphNode,
  type LayerCall,
  type ModelGraph,
} from './graph';
import {convolve, hasFastKernelGradient, kernelGradient} from './kernel-gradient';
import {deadUnits, histogram, identicalUnits, meanStd, saturatedFraction} from './stats';
import {signalPlaces} from './signal-places';
import {withAnalysisPass} from './analysis-pass';

/** Losses {@link analyzeInitialization} can back-propagate when labels are given. */
export type AnalysisLoss = 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

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
   * receives a gradient of the same scale and the table shows only how layers change it.
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
  /** Histogram bins per layer. Default 40. */
  bins?: number;
  /** When a measurement becomes a finding. */
  thresholds?: Partial<Thresholds>;
}

/** Layers whose kernel's last axis (or second-last, for transposed convolutions) indexes units. */
const UNIT_AXIS: Readonly<Record<string, number>> = {
  Dense: -1,
  Conv1D: -1,
  Conv2D: -1,
  Conv3D: -1,
  Conv2DTranspose: -2,
  Conv3DTranspose: -2,
  SeparableConv1D: -1,
  SeparableConv2D: -1,
  DepthwiseConv2D: -1,
};
/**
 * Fewest examples (rows per unit) on which a ReLU unit that is 0 everywhere counts as dead: a live
 * unit is 0 on 12 rows with probability 2⁻¹².
 */
const DEAD_MIN_ROWS = 12;

interface Forward {
  node: GraphNode;
  values: Float32Array;
  units: number;
  gradient?: Float32Array;
}

function chooseLoss(model: LayersModel, options: AnalyzeOptions): AnalysisLoss {
  if (options.loss !== undefined) return options.loss;
  const compiled = (model as unknown as {loss?: unknown}).loss;
  if (
    compiled === 'categoricalCrossentropy' ||
    compiled === 'binaryCrossentropy' ||
    compiled === 'meanSquaredError'
  )
    return compiled;
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

function lossValue(name: AnalysisLoss, labels: Tensor, output: Tensor): Scalar {
  const perExample = metrics[name](labels, output);
  return mean(perExample) as Scalar;
}

function randomDirection(shape: number[], seed: number, stream: number): Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillNormal(values, seed, stream, 0, 1);
  return tensor(values, shape);
}

function checkOptions(options: AnalyzeOptions): AnalyzeOptions {
  const known = knownOptions('analyzeInitialization', options, [
    'labels',
    'loss',
    'seed',
    'training',
    'bins',
    'thresholds',
  ]) as AnalyzeOptions;
  const {seed, bins, loss, training, labels} = known;
  if (training !== undefined && typeof training !== 'boolean')
    fail('analyzeInitialization', 'training', 'true or false', training);
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
  if (
    loss !== undefined &&
    !['categoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'].includes(loss)
  ) {
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
 * After a failure inside `variableGrads`, tfjs leaves its gradient tape behind with the tensors it
 * kept for the backward pass (10–20 for a small model; `tidy` does not own them). Dispose them as
 * tfjs itself does after a successful backward pass — only when no outer gradient is being taken.
 */
function releaseTape(): void {
  const state = (
    engine() as unknown as {
      state?: {activeTape?: Array<{saved?: Tensor[]}> | null; gradientDepth?: number};
    }
  ).state;
  if (state === undefined || state.gradientDepth !== 0 || !Array.isArray(state.activeTape)) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}

/** The message of tfjs's "Kernel 'X' not registered for backend 'Y'", in one clear sentence. */
function explain(e: unknown): unknown {
  const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error)?.message ?? '');
  if (m === null) return e;
  return new InitializerError(
    'analyzeInitialization',
    'backend',
    `the ${m[2]} backend has no ${m[1]} kernel, which this ` +
      `model's forward or backward pass needs; switch to a backend ` +
      `that has it (e.g. \`await tf.setBackend('cpu')\`), or let ` +
      `\`tfjs-init doctor\` choose one`,
  );
}

/** A probe: the identity, whose gradient function hands ∂loss/∂x to `keep`. */
function probe(x: Tensor, keep: (dy: Float32Array) => void): Tensor {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => ({
    value: clone(args[0] as Tensor),
    gradFunc: (dy: Tensor) => {
      keep((dy.dataSync() as Float32Array).slice());
      return dy;
    },
  }));
  return f(x);
}

/** The activation object a layer holds (`layer.activation`), if any. */
type ActivationHolder = {activation?: {apply(x: Tensor): Tensor; getClassName(): string}};

/**
 * Calls a convolution whose kernel gradient {@link kernelGradient} computes: its pre-activation
 * output (with plain ops, see `convolve`; a depthwise layer as it is, its activation switched off)
 * goes through a probe that catches δ = ∂loss/∂(pre-activation), then the layer's activation.
 */
function callConvolution(
  c: LayerCall,
  training: boolean,
  keep: (delta: Float32Array) => void,
): Tensor {
  const holder = c.layer as unknown as ActivationHolder;
  const act = holder.activation;
  let z: Tensor;
  if (c.layer.getClassName() !== 'DepthwiseConv2D') z = convolve(c.layer, c.inputs[0]);
  else {
    holder.activation = linearActivation() as ActivationHolder['activation'];
    try {
      z = applyLayer(c, {training}) as Tensor;
    } finally {
      holder.activation = act;
    }
  }
  const delta = probe(z, keep);
  return act === undefined || act.getClassName() === 'linear' ? delta : act.apply(delta);
}

/**
 * Runs the forward and backward pass, keeping host copies of every layer's output and its gradient.
 * Everything runs inside one `tidy`, so a failure anywhere leaves no tensor behind.
 *
 * The tape differentiates with respect to the (float) model inputs and every weight except the
 * normalization statistics and the kernels of convolutions, whose gradients are computed afterwards
 * from each convolution's input and δ ({@link kernelGradient}) — tfjs's CPU filter-gradient kernels
 * are plain loops, 76% of a MobileNetV2's analysis.
 */
function forwardBackward(
  model: LayersModel,
  graph: ModelGraph,
  inputs: Tensor[],
  options: AnalyzeOptions,
): {forwards: Forward[]; lossName: string; lossValue: number; grads: Map<string, Float32Array>} {
  const labels =
    options.labels === undefined
      ? null
      : Array.isArray(options.labels)
        ? options.labels
        : [options.labels];
  const lossName = labels === null ? 'random projection' : chooseLoss(model, options);
  const training = options.training ?? true;
  const forwards: Forward[] = [];
  const convolutions = new Set(
    graph.nodes.filter((n) => hasFastKernelGradient(n.layer)).map((n) => n.layer),
  );
  const convKernels = new Set([...convolutions].map((l) => l.weights[0]));
  // Every other weight but the normalization statistics takes part, frozen layers' (trainable:
  // false, as in a fine-tuned model) included: the analysis asks how gradients would flow in
  // training from this initialization.
  const variables = model.weights
    .filter((w) => !/moving_(mean|variance)$/.test(w.originalName) && !convKernels.has(w))
    .map((w) => w.read() as Variable);
  const frozen = variables.filter((v) => !v.trainable);
  for (const v of frozen) v.trainable = true;
  const grads = new Map<string, Float32Array>();
  let value = NaN;
  let feeds: Array<Variable | null> = [];
  const pending: Array<{layer: Layer; x: Tensor; shape: number[]; delta?: Float32Array}> = [];
  try {
    // A float input becomes a source of the tape, so every layer after it receives a gradient;
    // not one that feeds an Embedding (token ids: the table is a source instead).
    const ids = new Set(
      graph.nodes
        .filter((n) => n.className === 'Embedding')
        .flatMap((n) => n.inputs.flatMap((p) => ('input' in p ? [p.input] : []))),
    );
    feeds = inputs.map((t, i) =>
      t.dtype === 'float32' && !ids.has(i) ? tfVariable(t, true) : null,
    );
    const fed = inputs.map((t, i) => feeds[i] ?? t);
    withAnalysisPass(graph, {training, seed: options.seed ?? 0}, () =>
      tidy(() => {
        const result = variableGrads(() => {
          const outputs = runWalk(walkModel(model, fed, graph), (c) => {
            let out: Tensor | Tensor[];
            if (convolutions.has(c.layer) && c.inputs.length === 1) {
              // The forward pass's tensors are gone when variableGrads returns: keep a handle on the input.
              const job: (typeof pending)[number] = {
                layer: c.layer,
                x: keep(clone(c.inputs[0])),
                shape: [],
              };
              pending.push(job);
              out = callConvolution(c, training, (delta) => {
                job.delta = delta;
              });
              job.shape = [...(out as Tensor).shape];
            } else out = applyLayer(c, {training});
            if (Array.isArray(out)) return out; // multi-output layers are passed through, not recorded
            const record: Forward = {
              node: c.node,
              values: (out.dataSync() as Float32Array).slice(),
              units: out.shape[out.shape.length - 1] ?? 1,
            };
            forwards.push(record);
            return probe(out, (dy) => {
              record.gradient = dy;
            });
          });
          let total: Tensor = tensor(0);
          outputs.forEach((out, i) => {
            const part =
              labels === null
                ? div(
                    sum(mul(out, randomDirection(out.shape, options.seed ?? 0, i))),
                    out.shape[0] ?? 1,
                  )
                : lossValue(lossName as AnalysisLoss, labels[i], out);
            total = add(total, part);
          });
          return total as Scalar;
        }, [...feeds.filter((v): v is Variable => v !== null), ...variables]);
        for (const [name, g] of Object.entries(result.grads))
          grads.set(name, (g.dataSync() as Float32Array).slice());
        value = result.value.dataSync()[0];
        for (const job of pending) {
          if (job.delta === undefined) continue; // no gradient reached this call
          const kernel = job.layer.weights[0];
          const g = tidy(() =>
            kernelGradient(
              job.layer,
              job.x,
              tensor(job.delta as Float32Array, job.shape),
              kernel.shape as number[],
            ),
          );
          const values = (g.dataSync() as Float32Array).slice();
          g.dispose();
          const before = grads.get(kernel.name); // a shared layer: the calls' gradients add up
          if (before !== undefined) for (let i = 0; i < values.length; i++) values[i] += before[i];
          grads.set(kernel.name, values);
        }
      }),
    );
  } catch (e) {
    releaseTape();
    throw explain(e);
  } finally {
    for (const v of frozen) v.trainable = false;
    for (const v of feeds) v?.dispose();
    for (const job of pending) job.x.dispose();
  }
  return {forwards, lossName, lossValue: value, grads};
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

/** A kernel (or its gradient) rearranged host-side as `[rows, units]`, units taken from `unitAxis`. */
function toUnitsLast(values: Float32Array, shape: number[], unitAxis: number): Float32Array {
  if (unitAxis === shape.length - 1) return values;
  // Transposed convolutions: [...k, units, inputs] → [...k, inputs, units].
  const units = shape[unitAxis];
  const inner = shape[shape.length - 1];
  const out = new Float32Array(values.length);
  for (let p = 0; p < values.length / (units * inner); p++) {
    for (let u = 0; u < units; u++)
      for (let i = 0; i < inner; i++)
        out[(p * inner + i) * units + u] = values[(p * units + u) * inner + i];
  }
  return out;
}

/**
 * Units of a weighted layer: symmetric groups (identical, non-zero), all-zero units, and whether
 * each set's gradients leave it stuck.
 */
interface Units {
  groups: number[][];
  stuck: boolean;
  zero: number[];
  zeroStuck: boolean;
}

function unitsOf(layer: Layer, grads: Map<string, Float32Array>): Units | null {
  const className = layer.getClassName();
  const axis = UNIT_AXIS[className];
  // The kernel that maps inputs to units: a separable layer's pointwise kernel, a depthwise layer's depthwise kernel.
  const kernel =
    layer.weights.find((w) => /(^|\/)(pointwise_kernel|kernel)$/.test(w.originalName)) ??
    layer.weights.find((w) => /(^|\/)depthwise_kernel$/.test(w.originalName));
  if (axis === undefined || kernel === undefined) return null;
  const depthwise = /depthwise_kernel$/.test(kernel.originalName);
  const shape = kernel.shape as number[];
  // Depthwise [kh, kw, C, m]: unit (c, j) has the kh·kw weights of its own channel.
  const unitAxis = shape.length + axis;
  const units = depthwise ? shape[shape.length - 1] * shape[shape.length - 2] : shape[unitAxis];
  const values = depthwise
    ? (kernel.read().dataSync() as Float32Array)
    : toUnitsLast((kernel.read().dataSync() as Float32Array).slice(), shape, unitAxis);
  const bias = layer.weights.find((w) => /(^|\/)bias$/.test(w.originalName));
  const biasValues = bias === undefined ? undefined : (bias.read().dataSync() as Float32Array);
  const rows = values.length / units;
  const zero: number[] = [];
  for (let u = 0; u < units; u++) {
    let all = true;
    for (let r = 0; r < rows && all; r++) all = values[r * units + u] === 0;
    if (all) zero.push(u);
  }
  // Identical units compute the same function only when they see the same inputs: not so for depthwise channels.
  const groups = depthwise
    ? []
    : identicalUnits(values, units, biasValues).filter(
        (g) => !(zero.includes(g[0]) && zero.length < units),
      );
  const raw = grads.get(kernel.name);
  const g = raw === undefined ? undefined : depthwise ? raw : toUnitsLast(raw, shape, unitAxis);
  const same = (group: number[]): boolean => {
    if (g === undefined) return false;
    for (let r = 0; r < rows; r++) {
      const ref = g[r * units + group[0]];
      for (const u of group)
        if (Math.abs(g[r * units + u] - ref) > 1e-6 * Math.abs(ref) + 1e-30) return false;
    }
    return true;
  };
  const noGradient = (us: number[]): boolean =>
    g !== undefined &&
    us.every((u) => {
      for (let r = 0; r < rows; r++) if (g[r * units + u] !== 0) return false;
      return true;
    });
  return {
    groups,
    stuck: groups.length > 0 && groups.every(same),
    zero: zero.length === units ? [] : zero,
    zeroStuck: zero.length > 0 && noGradient(zero),
  };
}

function diagnose(
  f: Forward,
  grads: Map<string, Float32Array>,
  bins: number,
  place: {point: boolean; stretch: string},
): LayerDiagnostics {
  const layer = f.node.layer;
  const className = f.node.className;
  const activation = activationOf(className, layer.getConfig() as Record<string, unknown>);
  const {mean: activationMean, std: activationStd} = meanStd(f.values);
  const sat = activation === null ? undefined : ownValue(SATURATING, activation);
  const weightVar = layer.weights.find((w) => grads.has(w.name));
  const weightGrad = weightVar === undefined ? undefined : grads.get(weightVar.name);
  const units = unitsOf(layer, grads);
  const rows = f.values.length / f.units;
  return {
    name: f.node.path,
    className,
    activation,
    units: f.units,
    weighted: units !== null,
    signal: place.point,
    stretch: place.stretch,
    activationMean,
    activationStd,
    saturated: sat === undefined ? null : saturatedFraction(f.values, sat.centre, sat.halfWidth),
    // Units with all-zero weights are reported as such (zeroUnits), not again as dead ReLUs.
    dead:
      activation !== null && RECTIFIERS.includes(activation) && rows >= DEAD_MIN_ROWS
        ? deadUnits(f.values, f.units, new Set(units?.zero ?? [])) / f.units
        : null,
    gradientStd: f.gradient === undefined ? null : meanStd(f.gradient).std,
    weight: weightVar === undefined ? null : weightVar.originalName,
    weightGradientStd: weightGrad === undefined ? null : meanStd(weightGrad).std,
    weightStd:
      weightVar === undefined ? null : meanStd(weightVar.read().dataSync() as Float32Array).std,
    symmetricGroups: units === null ? [] : units.groups,
    symmetryStuck: units !== null && units.stuck,
    zeroUnits: units === null ? [] : units.zero,
    zeroUnitsStuck: units !== null && units.zeroStuck,
    activationHistogram: histogram(f.values, bins),
    gradientHistogram: f.gradient === undefined ? null : histogram(f.gradient, bins),
  };
}

/**
 * Diagnoses a model's initialization on one batch: one forward and one backward pass, layer by
 * layer (nested models expanded), measuring per layer
 *
 * - the mean and std of its output (the activations);
 * - the fraction of saturated outputs (tanh, sigmoid, softsign: within 1% of their bounds) or of
 *   dead units (ReLU family: exactly 0 on every example of the batch);
 * - the std of the back-propagated gradient ∂loss/∂output and of the gradient reaching its kernel;
 * - symmetric units: groups of units whose incoming weights and bias are identical, which receive
 *   identical gradients and never become different (the zero-init failure);
 *
 * and turns them into plain-language {@link Finding}s (vanishing or exploding signal or gradient,
 * symmetry, dead units, saturation, weights no gradient reaches). Render the result with
 * {@link renderTextReport} (text) or {@link renderHtmlReport} (a self-contained HTML page with
 * per-layer histograms, as in Glorot & Bengio 2010, Figs. 6–7).
 *
 * The weights are not changed (unless `training: true` lets batch normalization update its moving
 * statistics). Leaves `tf.memory().numTensors` unchanged. The batch must fit in memory a few times over:
 * every layer's output and gradient is copied to the host.
 *
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
  const places = signalPlaces(graph, {
    normalizes: (node) => (options.training ?? true) || !freshStatistics(node),
  });
  const {
    forwards,
    lossName,
    lossValue: value,
    grads,
  } = forwardBackward(model, graph, inputs, options);
  const stretchName = (origin: number): string =>
    origin < 0 ? `input ${-1 - origin}` : graph.nodes[origin].path;
  const layers = forwards.map((f) =>
    diagnose(f, grads, options.bins ?? 40, {
      point: places[f.node.index].point,
      stretch: stretchName(places[f.node.index].origin),
    }),
  );
  const thresholds = {...DEFAULT_THRESHOLDS, ...(options.thresholds ?? {})};
  return {
    model: model.name,
    batchSize: inputs[0].shape[0] ?? 0,
    training: options.training ?? true,
    backend: getBackend(),
    loss: {name: lossName, value},
    layers,
    findings: findProblems(layers, thresholds),
  };
}
