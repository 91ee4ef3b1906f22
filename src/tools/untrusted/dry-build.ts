import {LayerVariable, SymbolicTensor, models, type LayersModel} from '@tensorflow/tfjs-layers';
import {interceptAddWeight, type AddWeightCall, type AddWeightHook} from '../../weights/add-weight';
import type {Layer} from '../../core/tfjs';
import {InitializerError, describeValue} from '../../core/errors';
import {initializerProblem} from '../../weights/initializer-fit';
import {TfInitializer, type Initializer} from '../../core/tfjs';
import {invalid} from './scan';
import {buildFailure} from './build-failure';
import {withBuildGuards} from './build-guards';
import {sizeOf} from '../../core/tensor-args';
import type {Limits} from './limits';

type Json = Record<string, unknown>;

/** One weight tfjs would create, as the dry build saw it. */
export interface PlannedWeight {
  /**
   * Name of the layer that creates it. For a wrapped layer (Bidirectional, TimeDistributed) this is
   * the inner layer, whose weights tfjs names after the wrapper.
   */
  layer: string;
  /** The weight's name in that layer: `kernel`, `bias`, `recurrent_kernel`, ... */
  name: string;
  shape: number[];
  dtype: string;
  elements: number;
}

interface LayerInternals {
  _trainableWeights: LayerVariable[];
  _nonTrainableWeights: LayerVariable[];
}

/**
 * Fails when the weight's initializer is not an initializer (a layer class named where an
 * initializer belongs), or would refuse the weight's shape or dtype when the model is really
 * built ({@link initializerProblem}).
 */
function checkInitializer(
  initializer: unknown,
  shape: number[],
  dtype: string,
  path: string,
  at: string,
): void {
  if (initializer === undefined || initializer === null) return; // tfjs uses zeros
  if (!(initializer instanceof TfInitializer)) {
    const what =
      typeof (initializer as {getClassName?: unknown}).getClassName === 'function'
        ? (initializer as {getClassName: () => string}).getClassName()
        : describeValue(initializer);
    throw invalid(path, `${at}, but its initializer is ${what}, which is not an initializer`);
  }
  const problem = initializerProblem(initializer, shape, dtype);
  if (problem !== null) throw invalid(path, `${at}: ${problem}`);
}

/**
 * The name tfjs records as a weight's `originalName` when the weight is created now: the names of
 * the layers being built (tfjs's name scopes) and `name`, e.g. `bidirectional/forward_lstm/kernel`.
 * A weights manifest lists weights by this name. A symbolic tensor computes it the way
 * `LayerVariable` does, without allocating (it also counts the name as used, as a variable would).
 */
function scopedName(name: string): string {
  return new SymbolicTensor('float32', [], null as never, [], {}, name).originalName ?? name;
}

/** A LayerVariable without a value: shape, dtype and name only. Reading or writing it fails. */
function placeholder(
  name: string,
  shape: number[],
  dtype: string,
  trainable: boolean,
): LayerVariable {
  const stub = Object.create(LayerVariable.prototype) as Record<string, unknown>;
  const missing = {isDisposed: false, dispose: (): void => undefined};
  const scoped = scopedName(name);
  Object.assign(stub, {
    dtype,
    shape,
    id: -1,
    originalName: scoped,
    name: scoped,
    trainable_: trainable,
    constraint: null,
    val: missing,
  });
  stub.read = () => {
    throw invalid(
      'modelTopology',
      `layer weight '${scoped}' is read while the model is built ` +
        `(a \`weights\` entry in a layer config?), which the dry ` +
        `build cannot do`,
    );
  };
  stub.write = stub.read;
  return stub as unknown as LayerVariable;
}

/** What the dry build recorded about one placeholder weight: the layer that asked for it and its initializer. */
export interface PlannedVariable {
  layer: Layer;
  /** The weight's name in that layer. */
  name: string;
  initializer: Initializer | undefined;
}

/** The model a dry build made (weights are placeholders: shapes, no values) and what it planned. */
export interface DryBuiltModel {
  model: LayersModel;
  weights: PlannedWeight[];
  stateElements: number;
  /** Every placeholder weight of `model`, with its layer and initializer. */
  variables: Map<LayerVariable, PlannedVariable>;
}

/**
 * {@link dryBuild}, keeping the model it built: its layers, graph and shapes are tfjs's own, its
 * weights placeholders that hold no memory (reading one fails). The tools' static rules walk it.
 */
export async function dryBuildModel(
  topology: Json,
  path: string,
  limits: Limits,
  already: number,
): Promise<DryBuiltModel> {
  const variables = new Map<LayerVariable, PlannedVariable>();
  const built = await build(topology, path, limits, already, (variable, call) =>
    variables.set(variable, {layer: call.layer, name: call.name, initializer: call.initializer}),
  );
  return {...built, variables};
}

/**
 * Builds the model from `topology` with tfjs itself, without allocating a single weight: during the
 * synchronous part of `tf.models.modelFromJSON` (where tfjs deserializes and builds every layer),
 * `Layer.addWeight` is replaced by a check that records each weight's shape, refuses it when it
 * exceeds the limits, and returns a placeholder instead of a variable; no initializer runs. The
 * shapes are therefore exactly those tfjs would allocate, for every layer class it knows or that
 * is registered. Fails closed: if tfjs ever built weights outside that window, the model is
 * disposed and an error raised. Also returns the built model, whose weights are the placeholders
 * (named as tfjs names them), so that a manifest can be matched against it as tfjs would.
 */
export async function dryBuild(
  topology: Json,
  path: string,
  limits: Limits,
  already: number,
): Promise<{weights: PlannedWeight[]; stateElements: number; model: LayersModel}> {
  return build(topology, path, limits, already, () => undefined);
}

async function build(
  topology: Json,
  path: string,
  limits: Limits,
  already: number,
  record: (variable: LayerVariable, call: AddWeightCall) => void,
): Promise<{model: LayersModel; weights: PlannedWeight[]; stateElements: number}> {
  const copy = JSON.parse(JSON.stringify(topology)) as Json; // tfjs writes into the configs it reads
  const weights: PlannedWeight[] = [];
  const placeholders = new Set<unknown>();
  let total = already;
  let stateElements = 0;
  const deadline = performance.now() + limits.maxBuildSeconds * 1000;
  const tick = (layer: Layer): void => {
    if (performance.now() > deadline)
      throw invalid(
        path,
        `tfjs took more than ${limits.maxBuildSeconds} s to build the model ` +
          `(limit maxBuildSeconds); it was at layer '${layer.name}'`,
      );
  };
  const plan: AddWeightHook = (call) => {
    const {layer, name, shape, dtype, initializer, trainable} = call;
    tick(layer);
    const at = `layer '${layer.name}' would create weight '${name}' of shape ${describeValue(shape)}`;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      throw invalid(path, `${at}; every dimension must be an integer >= 1`);
    }
    const elements = sizeOf(shape);
    if (elements > limits.maxWeightElements) {
      throw invalid(
        path,
        `${at}: ${elements} elements, more than ` +
          `the ${limits.maxWeightElements} one weight may have (limit ` +
          `maxWeightElements)`,
      );
    }
    total += elements;
    if (total > limits.maxTotalElements) {
      throw invalid(
        path,
        `${at}, which brings the model to ${total} elements, more ` +
          `than the ${limits.maxTotalElements} allowed (limit ` +
          `maxTotalElements)`,
      );
    }
    checkInitializer(initializer, shape, dtype ?? 'float32', path, at);
    weights.push({layer: layer.name, name, shape: [...shape], dtype: dtype ?? 'float32', elements});
    const variable = placeholder(name, [...shape], dtype ?? 'float32', trainable ?? true);
    placeholders.add(variable);
    record(variable, call);
    const internals = layer as unknown as LayerInternals;
    ((trainable ?? true) ? internals._trainableWeights : internals._nonTrainableWeights).push(
      variable,
    );
    return variable;
  };
  // tfjs allocates a stateful RNN's states as it builds it: counted here, exactly, instead.
  const states = (layer: Layer, shapes: Array<Array<number | null>>): void => {
    const at = `stateful layer '${layer.name}' would create state tensors of shapes ${describeValue(shapes)}`;
    let elements = 0;
    for (const shape of shapes) {
      if (shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 1))
        throw invalid(path, `${at}; every dimension must be an integer >= 1`);
      const n = sizeOf(shape as number[]);
      if (n > limits.maxWeightElements)
        throw invalid(
          path,
          `${at}: one has ${n} elements, more than the ${limits.maxWeightElements} one tensor ` +
            `may have (limit maxWeightElements)`,
        );
      elements += n;
    }
    stateElements += elements;
    if (total + stateElements > limits.maxTotalElements) {
      throw invalid(
        path,
        `${at}, which brings the model to ${total + stateElements} elements, more than the ` +
          `${limits.maxTotalElements} allowed (limit maxTotalElements)`,
      );
    }
  };
  const pending = withBuildGuards({states, tick}, () =>
    interceptAddWeight(plan, () => models.modelFromJSON({modelTopology: copy} as never)),
  );
  let model: LayersModel;
  try {
    model = await pending;
  } catch (e) {
    if (e instanceof InitializerError) throw e;
    throw buildFailure((e as Error).message, topology, path);
  }
  let built: unknown[] = [];
  try {
    built = model.weights;
  } catch {
    // A Sequential model without an input shape has no weights until it is called.
  }
  if (built.some((w) => !placeholders.has(w))) {
    model.dispose();
    throw new InitializerError(
      'validateModelJSON',
      path || 'model.json',
      'this version of tfjs created weights outside the dry build, ' +
        'so their sizes could not be checked before allocation; the ' +
        'model was disposed',
    );
  }
  const owned = new Set(built);
  const planned = [...placeholders]; // in the order of `weights`
  const stray = weights.find((_w, i) => !owned.has(planned[i]));
  if (stray !== undefined) {
    model.dispose();
    throw invalid(
      path,
      `layer '${stray.layer}' is not on a path from the model's inputs to its outputs: tfjs ` +
        `would build its weights but not keep them in the model, which could never free them`,
    );
  }
  checkSavedNames(built as LayerVariable[], path);
  return {model, weights, stateElements};
}

/**
 * Refuses two weights that tfjs would save under one name (`originalName`): layers of nested
 * models may share a name, and their weights then collide in the saved manifest, which tfjs (and
 * this package) refuse to load. Found now, before anything is loaded or written.
 */
function checkSavedNames(weights: readonly LayerVariable[], path: string): void {
  const seen = new Set<string>();
  for (const weight of weights) {
    const name = weight.originalName;
    if (seen.has(name))
      throw invalid(
        path,
        `two weights of the model would be saved as '${name}' (layers of nested models with ` +
          `one name?), so the model could not be loaded again; give each layer its own name`,
      );
    seen.add(name);
  }
}
