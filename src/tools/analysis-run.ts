import {
  Tensor,
  add,
  clone,
  customGrad,
  div,
  engine,
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
import {InitializerError} from '../core/errors';
import {fillNormal} from '../random/samplers';
import {linearActivation} from './activation';
import {applyLayer, runWalk, walkModel, type LayerCall, type ModelGraph} from './graph';
import type {GraphNode} from './graph';
import {
  convolve,
  hasFastKernelGradient,
  hasPlainConvolution,
  kernelGradient,
} from './kernel-gradient';
import {nodeRole} from './signal-places';
import {withAnalysisPass} from './analysis-pass';
import {channelMaxStd, groupRms, type GroupedValue} from './stats';
import {sizeOf} from '../core/tensor-args';

/**
 * One forward and one backward pass of `analyzeInitialization`, layer by layer, keeping host
 * copies of every layer's output and of ∂loss/∂output, and the RMS (per group of examples) of every
 * pre-activation — the input of a layer's nonlinearity — and of ∂loss/∂pre-activation.
 */

/** Losses `analyzeInitialization` can back-propagate when labels are given. */
export type AnalysisLoss = 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

/** Where a running analysis is: called after each layer of each phase. */
export interface AnalysisProgress {
  phase: 'forward' | 'backward' | 'statistics';
  /** Layers done in this phase. */
  done: number;
  /** Layers in this phase. */
  total: number;
}

/** What the pass recorded for one layer call. */
export interface PassRecord {
  node: GraphNode;
  /** The layer's output. */
  values: Float32Array;
  /** Size of the output's last axis. */
  units: number;
  /** The output's shape. */
  shape: number[];
  /** ∂loss/∂output; absent when no gradient reaches the output. */
  gradient?: Float32Array;
  /** RMS of the input of the layer's nonlinearity, when it applies one (null otherwise). */
  pre: GroupedValue | null;
  /** RMS of ∂loss/∂(that input), when a gradient reaches it. */
  preGradient: GroupedValue | null;
  /** Of that input: each channel's largest value over all rows, and the std of all values. */
  preSpread: {max: Float32Array; std: number} | null;
}

/** What one pass gives. */
export interface PassResult {
  records: PassRecord[];
  lossName: string;
  lossValue: number;
  /** Gradient of every weight that took part, by variable name. */
  grads: Map<string, Float32Array>;
}

/** Options of {@link runAnalysisPass}. */
export interface PassOptions {
  /** One target per model output, or null for the random projection. */
  labels: Tensor[] | null;
  /** The loss with labels. */
  loss: AnalysisLoss;
  seed: number;
  training: boolean;
  /** Groups of consecutive examples whose statistics are kept apart (see `groupRms`). */
  groups: number;
  onProgress?: (p: AnalysisProgress) => void;
}

/** Layers that apply their `activation` option to their output. */
const FUSED = new Set([
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'Conv3DTranspose',
  'DepthwiseConv2D',
  'SeparableConv1D',
  'SeparableConv2D',
]);

/** The activation object a layer holds (`layer.activation`), if any. */
type ActivationHolder = {activation?: {apply(x: Tensor): Tensor; getClassName(): string}};

function lossValue(name: AnalysisLoss, labels: Tensor, output: Tensor): Scalar {
  const perExample = metrics[name](labels, output);
  return mean(perExample) as Scalar;
}

function randomDirection(shape: number[], seed: number, stream: number): Tensor {
  const values = new Float32Array(sizeOf(shape));
  fillNormal(values, seed, stream, 0, 1);
  return tensor(values, shape);
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

const KERNEL_MISSING = /Kernel '(\w+)' not registered for backend '(\w+)'/;

/** The message of tfjs's "Kernel 'X' not registered for backend 'Y'", in one clear sentence. */
function explain(e: unknown): unknown {
  const m = KERNEL_MISSING.exec((e as Error)?.message ?? '');
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

/** A failure of one layer, named (a missing kernel is left to {@link explain}). */
function inLayer(e: unknown, node: GraphNode, pass: 'forward' | 'backward'): unknown {
  if (e instanceof InitializerError || KERNEL_MISSING.test((e as Error)?.message ?? '')) return e;
  const message = (e as Error)?.message ?? String(e);
  return new InitializerError(
    'analyzeInitialization',
    'model',
    `layer '${node.path}' (${node.className}) fails in the ${pass} pass: ${message}`,
  );
}

/** Size of the channel axis of a layer's output: axis 1 for a channels-first layer, else the last. */
export function channelsOf(node: GraphNode, shape: readonly number[]): number {
  return shape[channelAxis(node, shape.length)] ?? 1;
}

/** The channel axis of a layer's output of rank `rank`: 1 for a channels-first layer, else the last. */
export function channelAxis(node: GraphNode, rank: number): number {
  const format = (node.layer.getConfig() as {dataFormat?: unknown}).dataFormat;
  return format === 'channelsFirst' && rank > 2 ? 1 : rank - 1;
}

/** A probe: the identity, whose gradient function hands ∂loss/∂x to `keep`. */
function probe(x: Tensor, keepGradient: (dy: Float32Array) => void): Tensor {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => ({
    value: clone(args[0] as Tensor),
    gradFunc: (dy: Tensor) => {
      keepGradient(dy.dataSync() as Float32Array);
      return dy;
    },
  }));
  return f(x);
}

/**
 * Calls one layer so that its pre-activation can be measured: a layer with a fused nonlinearity
 * runs with its activation switched off (a fast-gradient convolution as plain ops, see `convolve`),
 * its pre-activation z goes through a probe, then the activation is applied; an activation layer's
 * input is probed before the layer runs. `onDelta` receives ∂loss/∂z of a fast-gradient convolution.
 */
export function callMeasured(
  c: LayerCall,
  training: boolean,
  fast: boolean,
  record: (z: Tensor) => Tensor,
): Tensor | Tensor[] {
  const holder = c.layer as unknown as ActivationHolder;
  const act = holder.activation;
  const fusedNonlinear =
    FUSED.has(c.node.className) && act !== undefined && act.getClassName() !== 'linear';
  if (fast || fusedNonlinear) {
    let z: Tensor;
    if (fast && hasPlainConvolution(c.layer)) z = convolve(c.layer, c.inputs[0]);
    else {
      holder.activation = linearActivation() as ActivationHolder['activation'];
      try {
        z = applyLayer(c, {training}) as Tensor;
      } finally {
        holder.activation = act;
      }
    }
    const probed = record(z);
    return act === undefined || act.getClassName() === 'linear' ? probed : act.apply(probed);
  }
  if (nodeRole(c.node) === 'activation' && c.inputs.length === 1)
    return applyLayer({...c, inputs: [record(c.inputs[0])]}, {training});
  return applyLayer(c, {training});
}

/**
 * Runs the forward and backward pass. Everything runs inside one `tidy`, so a failure anywhere
 * leaves no tensor behind; a failure of one layer, forward or backward, is an `InitializerError`
 * that names it.
 *
 * The tape differentiates with respect to the (float) model inputs and every weight except the
 * normalization statistics and the kernels of convolutions, whose gradients are computed afterwards
 * from each convolution's input and δ ({@link kernelGradient}) — tfjs's CPU filter-gradient kernels
 * are plain loops, 76% of a MobileNetV2's analysis.
 */
export function runAnalysisPass(
  model: LayersModel,
  graph: ModelGraph,
  inputs: Tensor[],
  options: PassOptions,
): PassResult {
  const {labels, training, seed, groups} = options;
  const lossName = labels === null ? 'random projection' : options.loss;
  const records: PassRecord[] = [];
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
  const total = graph.nodes.length;
  let value = NaN;
  let feeds: Array<Variable | null> = [];
  let forwardDone = false;
  let backwardSeen = 0;
  // The earliest layer whose output gradient has been computed: a backward failure is in it.
  let reached: GraphNode | null = null;
  const pending: Array<{
    node: GraphNode;
    layer: Layer;
    x: Tensor;
    shape: number[];
    delta?: Float32Array;
  }> = [];
  let backwardDone = false;
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
    withAnalysisPass(graph, {training, seed}, () =>
      tidy(() => {
        const result = variableGrads(() => {
          const outputs = runWalk(walkModel(model, fed, graph), (c) => {
            const rec: PassRecord = {
              node: c.node,
              values: new Float32Array(0),
              units: 1,
              shape: [],
              pre: null,
              preGradient: null,
              preSpread: null,
            };
            const fast = convolutions.has(c.layer) && c.inputs.length === 1;
            const job = fast
              ? ({
                  node: c.node,
                  layer: c.layer,
                  x: keep(clone(c.inputs[0])),
                  shape: [] as number[],
                } as (typeof pending)[number])
              : null;
            if (job !== null) pending.push(job);
            const measure = (z: Tensor): Tensor => {
              const values = z.dataSync() as Float32Array;
              rec.pre = groupRms(values, z.shape[0] ?? 1, groups);
              rec.preSpread = channelMaxStd(values, z.shape, channelAxis(c.node, z.rank));
              if (job !== null) job.shape = [...z.shape];
              return probe(z, (dz) => {
                rec.preGradient = groupRms(dz, z.shape[0] ?? 1, groups);
                if (job !== null) job.delta = dz.slice();
              });
            };
            let out: Tensor | Tensor[];
            try {
              out = callMeasured(c, training, fast, measure);
            } catch (e) {
              throw inLayer(e, c.node, 'forward');
            }
            options.onProgress?.({phase: 'forward', done: c.node.index + 1, total});
            if (Array.isArray(out)) return out; // multi-output layers are passed through, not recorded
            rec.values = (out.dataSync() as Float32Array).slice();
            rec.units = out.shape[out.shape.length - 1] ?? 1;
            rec.shape = [...out.shape];
            records.push(rec);
            return probe(out, (dy) => {
              rec.gradient = dy.slice();
              if (reached === null || c.node.index < reached.index) reached = c.node;
              options.onProgress?.({phase: 'backward', done: ++backwardSeen, total});
            });
          });
          forwardDone = true;
          let lossTotal: Tensor = tensor(0);
          outputs.forEach((out, i) => {
            const part =
              labels === null
                ? div(sum(mul(out, randomDirection(out.shape, seed, i))), out.shape[0] ?? 1)
                : lossValue(options.loss, labels[i], out);
            lossTotal = add(lossTotal, part);
          });
          return lossTotal as Scalar;
        }, [...feeds.filter((v): v is Variable => v !== null), ...variables]);
        for (const [name, g] of Object.entries(result.grads))
          grads.set(name, (g.dataSync() as Float32Array).slice());
        value = result.value.dataSync()[0];
        backwardDone = true;
        for (const job of pending) {
          if (job.delta === undefined) continue; // no gradient reached this call
          const kernel = job.layer.weights[0];
          let g: Tensor;
          try {
            g = tidy(() =>
              kernelGradient(
                job.layer,
                job.x,
                tensor(job.delta as Float32Array, job.shape),
                kernel.shape as number[],
              ),
            );
          } catch (e) {
            throw inLayer(e, job.node, 'backward');
          }
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
    const failed = reached as GraphNode | null;
    throw explain(
      forwardDone && !backwardDone && failed !== null ? inLayer(e, failed, 'backward') : e,
    );
  } finally {
    for (const v of frozen) v.trainable = false;
    for (const v of feeds) v?.dispose();
    for (const job of pending) job.x.dispose();
  }
  return {records, lossName, lossValue: value, grads};
}
