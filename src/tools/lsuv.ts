import {dispose, moments, nextFrame, tidy, type Tensor, type Variable} from '@tensorflow/tfjs-core';
import type {Initializer, Layer} from '../core/tfjs';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError, fail} from '../core/errors';
import {checkLiveModel} from '../core/disposed';
import {OrthogonalInitializer} from '../initializers/orthogonal';
import {scaleValues, writeInitializer} from '../initializers/write-values';
import {knownOptions, seed as seedOption} from '../core/options';
import {deriveSeed} from '../random/seed';
import {linearActivation} from './activation';
import {applyLayer, checkBatch, checkModel, leafLayers, walkModel, type LayerCall} from './graph';
import {seedOf, withSeed} from './initializer-seed';
import {option, setOption} from './weight-sites';

/** Layer classes LSUV initializes: their `kernel` maps inputs to output units. */
export const LSUV_LAYER_CLASSES: readonly string[] = [
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'Conv3DTranspose',
];

/** Options of {@link lsuv}. */
export interface LsuvOptions {
  /** Stop when |Var(output) − 1| < tolerance. Default 0.1 (the paper's Tol_var). */
  tolerance?: number;
  /** Most rescalings per layer (the paper's T_max). Default 10. */
  maxIterations?: number;
  /**
   * What "the layer's output" is. `'preActivation'` (default): the layer's affine output, with its
   * fused activation switched off while measuring — what the paper measures, since in Caffe the
   * nonlinearity is a separate layer; it is the only choice that can reach variance 1 for tanh and
   * sigmoid layers. `'output'`: the layer's output after its activation (Keras LSUV ports).
   */
  measure?: 'preActivation' | 'output';
  /** Orthogonal pre-initialization of every kernel first (the paper's step 1). Default true. */
  orthogonal?: boolean;
  /** Seed of the orthogonal pre-init: target layer j uses `deriveSeed(seed, j)`. Default: the `setSeed` stream. */
  seed?: number;
  /** Called after each layer is done, for progress on long runs; awaited if it returns a promise. */
  onLayer?: (progress: LsuvProgress) => void | Promise<void>;
}

/** The outcome for one layer. */
export interface LsuvLayerReport {
  /** Layer path (`'encoder/dense_1'` inside a nested model). */
  layer: string;
  className: string;
  /**
   * The kernel's name as a saved model names it (`originalName`, e.g. `'dense_1/kernel'`). Its value
   * depends on the batch, so no saved config reproduces it (its option keeps no seed).
   */
  kernel: string;
  /** Rescalings performed. */
  iterations: number;
  /** Variance of the measured output on the batch before the first rescaling. */
  initialVariance: number;
  /** Variance after the last rescaling. */
  variance: number;
  /** |variance − 1| < tolerance. */
  converged: boolean;
}

/** Passed to {@link LsuvOptions.onLayer}. */
export interface LsuvProgress extends LsuvLayerReport {
  /** 1-based number of this layer among the layers LSUV initializes. */
  index: number;
  total: number;
}

interface Parsed {
  tolerance: number;
  maxIterations: number;
  measure: 'preActivation' | 'output';
  orthogonal: boolean;
  seed: number | null;
  onLayer: LsuvOptions['onLayer'];
}

function parse(options: LsuvOptions): Parsed {
  const known = knownOptions('lsuv', options, [
    'tolerance',
    'maxIterations',
    'measure',
    'orthogonal',
    'seed',
    'onLayer',
  ]) as LsuvOptions;
  const {
    tolerance = 0.1,
    maxIterations = 10,
    measure = 'preActivation',
    orthogonal = true,
    seed,
    onLayer,
  } = known;
  if (onLayer !== undefined && typeof onLayer !== 'function')
    fail('lsuv', 'onLayer', 'a function', onLayer);
  if (typeof tolerance !== 'number' || !(tolerance > 0 && tolerance < 1))
    fail('lsuv', 'tolerance', 'a number in (0, 1)', tolerance);
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1)
    fail('lsuv', 'maxIterations', 'an integer >= 1', maxIterations);
  if (measure !== 'preActivation' && measure !== 'output')
    fail('lsuv', 'measure', "'preActivation' or 'output'", measure);
  if (typeof orthogonal !== 'boolean') fail('lsuv', 'orthogonal', 'a boolean', orthogonal);
  return {
    tolerance,
    maxIterations,
    measure,
    orthogonal,
    seed: seedOption()(seed, 'lsuv', 'seed'),
    onLayer,
  };
}

function kernelOf(layer: Layer): LayerVariable {
  const kernel = layer.weights.find(
    (w) => w.originalName.endsWith('/kernel') || w.originalName === 'kernel',
  );
  if (kernel === undefined)
    throw new InitializerError('lsuv', 'model', `layer '${layer.name}' has no kernel`);
  return kernel;
}

const KERNEL_OPTION = 'kernelInitializer';

/**
 * The kernel options of `layers` that carry a seed, without it: LSUV's kernels come from the batch,
 * so no config reproduces them, and a saved model must not claim to (its option keeps the scheme).
 */
function unseededKernelOptions(layers: Iterable<Layer>): Array<[Layer, Initializer]> {
  const out: Array<[Layer, Initializer]> = [];
  for (const layer of layers) {
    const init = option(layer, KERNEL_OPTION);
    const plain = init === undefined || seedOf(init) === null ? null : withSeed(init, null);
    if (plain !== null) out.push([layer, plain]);
  }
  return out;
}

/** Calls the layer; with `preActivation`, with its activation replaced by linear for this call only. */
function measuredOutput(c: LayerCall, measure: Parsed['measure']): Tensor {
  const holder = c.layer as unknown as {activation?: unknown};
  if (measure === 'output' || holder.activation === undefined)
    return applyLayer(c, {training: false}) as Tensor;
  const saved = holder.activation;
  holder.activation = linearActivation();
  try {
    return applyLayer(c, {training: false}) as Tensor;
  } finally {
    holder.activation = saved;
  }
}

function outputVariance(c: LayerCall, measure: Parsed['measure']): number {
  const v = tidy(() => moments(measuredOutput(c, measure)).variance);
  const value = v.dataSync()[0];
  v.dispose();
  return value;
}

/** Steps 1–2 of LSUV on one layer whose inputs are known. */
function initializeLayer(c: LayerCall, o: Parsed, j: number): LsuvLayerReport {
  const kernel = kernelOf(c.layer);
  const variable = kernel.read() as Variable;
  if (o.orthogonal) {
    const init = new OrthogonalInitializer({seed: o.seed === null ? null : deriveSeed(o.seed, j)});
    writeInitializer(variable, init);
  }
  const initialVariance = outputVariance(c, o.measure);
  let variance = initialVariance;
  let iterations = 0;
  while (Math.abs(variance - 1) >= o.tolerance && iterations < o.maxIterations) {
    if (!(variance > 0) || !Number.isFinite(variance)) {
      throw new InitializerError(
        'lsuv',
        'batch',
        `the output of layer '${c.path}' has variance ${variance} on the batch; it cannot be rescaled to 1`,
      );
    }
    const factor = 1 / Math.sqrt(variance);
    scaleValues(variable, factor);
    iterations++;
    variance = outputVariance(c, o.measure);
  }
  return {
    layer: c.path,
    className: c.layer.getClassName(),
    kernel: kernel.originalName,
    iterations,
    initialVariance,
    variance,
    converged: Math.abs(variance - 1) < o.tolerance,
  };
}

/**
 * Layer-sequential unit-variance (LSUV) initialization, Mishkin & Matas (ICLR 2016):
 *
 *  1. pre-initialize every Dense and Conv kernel with an orthonormal matrix
 *     ({@link OrthogonalInitializer}; conv kernels `[...k, in, out]` as `[∏k·in, out]`);
 *  2. from the first layer to the last: run the batch through the network up to layer L, then
 *     repeat  W_L ← W_L / √Var(B_L)  until |Var(B_L) − 1| < tolerance or `maxIterations`
 *     rescalings, where B_L is the layer's output on the batch (see {@link LsuvOptions.measure})
 *     and Var is taken over all of its elements.
 *
 * The kernels' values come from the batch, so no saved config reproduces them: each initialized
 * layer keeps its kernel initializer (its scheme) with the seed removed, so that a model saved
 * afterwards does not claim them — a load without weights draws afresh from the scheme.
 *
 * Biases are left as they are. Works on Sequential and functional models, nested models included
 * (their layers are initialized in place, in order); layers of `LSUV_LAYER_CLASSES` take
 * part, others pass the signal through. The network runs layer by layer, so each layer's input is
 * computed once. Leaves `tf.memory().numTensors` unchanged and the caller's batch untouched; when
 * it fails part-way (a layer whose output has no variance, an `onLayer` that throws), every kernel
 * it changed is restored, so the model is as it was.
 *
 * @param batch one input tensor (or one per model input) — the paper uses a single mini-batch.
 * @returns one report per initialized layer, in network order.
 * @throws InitializerError for bad options, a model without such layers, or an output with zero
 * variance (a dead layer cannot be rescaled).
 * @example
 * ```ts
 * const onLayer = (p: LsuvProgress) => console.log(p.layer, p.variance);
 * const report = await lsuv(model, xs.slice(0, 256), {tolerance: 0.05, onLayer});
 * ```
 * @see Mishkin & Matas, "All you need is a good init", ICLR 2016, Algorithm 1.
 */
export async function lsuv(
  model: LayersModel,
  batch: Tensor | Tensor[],
  options: LsuvOptions = {},
): Promise<LsuvLayerReport[]> {
  checkModel('lsuv', model);
  checkLiveModel('lsuv', model);
  const o = parse(options);
  const inputs = checkBatch('lsuv', model, batch);
  const targets = new Set(
    leafLayers(model)
      .filter(({layer}) => LSUV_LAYER_CLASSES.includes(layer.getClassName()))
      .map(({layer}) => layer),
  );
  if (targets.size === 0) {
    throw new InitializerError(
      'lsuv',
      'model',
      `the model has no layer LSUV initializes (${LSUV_LAYER_CLASSES.join(', ')})`,
    );
  }
  const keep = new Set(inputs.map((t) => t.id));
  const created: Tensor[] = [];
  const reports: LsuvLayerReport[] = [];
  const walk = walkModel(model, inputs);
  // Each kernel's value before LSUV changes it (a clone shares the data, so this costs no copy until
  // the kernel is overwritten): on failure every kernel is put back.
  const saved: Array<{variable: Variable; value: Tensor}> = [];
  let failed = true;
  try {
    let step = walk.next(undefined as unknown as Tensor);
    while (!step.done) {
      const c = step.value;
      if (targets.has(c.layer)) {
        const variable = kernelOf(c.layer).read() as Variable;
        saved.push({variable, value: variable.clone()});
        const report = initializeLayer(c, o, reports.length);
        reports.push(report);
        await o.onLayer?.({...report, index: reports.length, total: targets.size});
        await nextFrame(); // let a UI or a log flush between layers
      }
      const out = applyLayer(c, {training: false});
      for (const t of Array.isArray(out) ? out : [out]) if (!keep.has(t.id)) created.push(t);
      step = walk.next(out);
    }
    const unseeded = unseededKernelOptions(targets);
    for (const [layer, init] of unseeded) setOption(layer, KERNEL_OPTION, init);
    failed = false;
  } finally {
    dispose(created);
    if (failed) for (const {variable, value} of saved) variable.assign(value);
    dispose(saved.map((s) => s.value));
  }
  return reports;
}
