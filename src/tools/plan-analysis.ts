import {getBackend, getKernel, profile, slice, tidy, type Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {fail} from '../core/errors';
import {knownOptions, seed as seedOption} from '../core/options';
import {checkBatch, checkModel, modelGraph, runWalk, walkModel} from './graph';
import {callMeasured} from './analysis-run';
import {withAnalysisPass} from './analysis-pass';
import {hasFastKernelGradient} from './kernel-gradient';

/**
 * The kernels the backward pass of the analysis runs for each forward kernel, where they are not
 * plain element-wise ops every backend has (tfjs-core 4.x gradients). Only the gradients with
 * respect to the kernels' *inputs*: the kernel gradients of Conv1D/Conv2D/DepthwiseConv2D and
 * Conv2DTranspose layers are computed by the analysis itself from matrix products (see
 * `kernelGradient`), and a DepthwiseConv2D runs as taps of plain ops (`depthwiseTaps`); those of other
 * layers are in {@link FILTER_KERNELS}. The wasm backend, for one, lacks
 * DepthwiseConv2dNativeBackpropInput and UnsortedSegmentSum (an Embedding's gradient).
 */
export const GRADIENT_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['Conv2DBackpropInput'],
  FusedConv2D: ['Conv2DBackpropInput'],
  Conv2DBackpropInput: ['Conv2D'],
  Conv3D: ['Conv3DBackpropInputV2'],
  Conv3DBackpropInputV2: ['Conv3D'],
  DepthwiseConv2dNative: ['DepthwiseConv2dNativeBackpropInput'],
  FusedDepthwiseConv2D: ['DepthwiseConv2dNativeBackpropInput'],
  GatherV2: ['UnsortedSegmentSum'],
  MaxPool: ['MaxPoolGrad'],
  AvgPool: ['AvgPoolGrad'],
  MaxPool3D: ['MaxPool3DGrad'],
  AvgPool3D: ['AvgPool3DGrad'],
  ResizeBilinear: ['ResizeBilinearGrad'],
  ResizeNearestNeighbor: ['ResizeNearestNeighborGrad'],
  LRN: ['LRNGrad'],
  _FusedMatMul: ['BatchMatMul'],
};

/** The filter-gradient kernels tfjs runs for layers whose kernel gradient the analysis leaves to tfjs. */
export const FILTER_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Conv1D: ['Conv2DBackpropFilter'],
  Conv2D: ['Conv2DBackpropFilter'],
  DepthwiseConv2D: ['DepthwiseConv2dNativeBackpropFilter'],
  SeparableConv1D: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
  SeparableConv2D: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
  Conv2DTranspose: ['Conv2DBackpropFilter'],
  Conv3D: ['Conv3DBackpropFilterV2'],
  Conv3DTranspose: ['Conv3DBackpropFilterV2'],
};

/** Options of {@link planAnalysis}. */
export interface PlanAnalysisOptions {
  /** As in `analyzeInitialization` (default true). */
  training?: boolean;
  /** As in `analyzeInitialization` (default 0): seeds dropout for the trial pass. */
  seed?: number;
}

/** What one `analyzeInitialization` of a model will need. */
export interface AnalysisPlan {
  /** The backend the trial ran on. */
  backend: string;
  /** Kernels the forward pass ran, then those their gradients run, sorted. */
  kernels: string[];
  /** Those the backend does not have. */
  missing: string[];
  /**
   * Estimated bytes per example of the batch: 3× the bytes of every tensor the forward pass of one
   * example creates (the gradient tape keeps them, the backward pass makes as many, and the analysis
   * copies each layer's output and gradient to the host). NaN when the trial failed.
   */
  bytesPerExample: number;
}

/** The kernel named in tfjs's "Kernel 'X' not registered for backend 'Y'", or null. */
function missingKernel(e: unknown): string | null {
  const m = /Kernel '(\w+)' not registered/.exec((e as Error)?.message ?? '');
  return m === null ? null : m[1];
}

/**
 * Runs the model's forward pass on the first example of `batch` under `tf.profile`, as
 * `analyzeInitialization` would (same layer calls, same training mode), to learn which kernels the
 * analysis needs — the forward kernels and those their gradients run (`GRADIENT_KERNELS`,
 * `FILTER_KERNELS`) —
 * which of them the current backend lacks (`tf.getKernel(name, backend)`), and how much memory the
 * analysis will take per example. Cheap (one example, forward only) and leak-free; the model is
 * left as it was. `tfjs-init doctor` uses it to pick a backend and a batch size before it runs.
 *
 * @example
 * ```ts
 * const plan = await planAnalysis(model, xs);
 * if (plan.missing.length > 0) await tf.setBackend('cpu');
 * const batch = Math.min(32, Math.floor(2 ** 31 / plan.bytesPerExample));
 * ```
 */
export async function planAnalysis(
  model: LayersModel,
  batch: Tensor | Tensor[],
  options: PlanAnalysisOptions = {},
): Promise<AnalysisPlan> {
  checkModel('planAnalysis', model);
  const {training = true, seed} = knownOptions('planAnalysis', options, [
    'training',
    'seed',
  ]) as PlanAnalysisOptions;
  if (typeof training !== 'boolean') fail('planAnalysis', 'training', 'true or false', training);
  const seedValue = seedOption()(seed, 'planAnalysis', 'seed') ?? 0;
  const inputs = checkBatch('planAnalysis', model, batch);
  const graph = modelGraph(model);
  const backend = getBackend();
  const forward = new Set<string>();
  let bytes = NaN;
  const forwardOnce = (): void =>
    withAnalysisPass(graph, {training, seed: seedValue}, () =>
      tidy(() => {
        const one = inputs.map((t) => slice(t, 0, 1));
        // The layers are called as the analysis calls them (a convolution as plain ops, a
        // depthwise one as taps), so the kernels listed are the ones it will run.
        runWalk(walkModel(model, one, graph), (c) =>
          callMeasured(
            c,
            training,
            hasFastKernelGradient(c.layer) && c.inputs.length === 1,
            (z) => z,
          ),
        );
      }),
    );
  try {
    // Once without the profiler first: a kernel that throws under tf.profile also leaves a
    // rejected promise of tfjs's profiler unhandled, which ends a Node process.
    forwardOnce();
    const info = await profile(forwardOnce);
    // Op names (`fusedConv2d__op`: an op with a custom gradient) and scopes (`unnamed scope`: a
    // tf.customGrad) are not kernels; the kernels they run are listed too.
    for (const k of info.kernels)
      if (/^\w+$/.test(k.name) && !/__op$/.test(k.name)) forward.add(k.name);
    bytes = 3 * info.kernels.reduce((n, k) => n + Math.max(0, k.bytesAdded), 0);
  } catch (e) {
    const name = missingKernel(e);
    if (name === null) throw e;
    forward.add(name);
  }
  const kernels = new Set(forward);
  // A DepthwiseConv2D the analysis runs itself (depthwiseConvolve) brings its own input gradient;
  // a separable convolution, or a depthwise one it cannot run, needs tfjs's.
  const tfjsDepthwise = graph.nodes.some(
    (n) =>
      /^SeparableConv/.test(n.className) ||
      (n.className === 'DepthwiseConv2D' && !hasFastKernelGradient(n.layer)),
  );
  for (const k of forward) {
    if (!tfjsDepthwise && k === 'DepthwiseConv2dNative') continue;
    for (const g of GRADIENT_KERNELS[k] ?? []) kernels.add(g);
  }
  for (const node of graph.nodes) {
    if (hasFastKernelGradient(node.layer)) continue;
    for (const g of FILTER_KERNELS[node.className] ?? []) kernels.add(g);
  }
  const sorted = [...kernels].sort();
  return {
    backend,
    kernels: sorted,
    missing: sorted.filter((k) => getKernel(k, backend) === undefined),
    bytesPerExample: bytes,
  };
}
