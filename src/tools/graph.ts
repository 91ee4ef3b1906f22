import {Tensor} from '@tensorflow/tfjs-core';
import {TfLayer, type Layer, type Kwargs} from '../core/tfjs';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError, fail} from '../core/errors';
import {plural} from '../core/plural';

/**
 * THE model walker. {@link modelGraph} turns any LayersModel — Sequential or functional, nested
 * models, shared layers, wrappers — into one flat list of layer calls in topological order, each
 * knowing where its inputs come from and who consumes its outputs. Everything that follows a
 * model's graph uses it: the static rules of `inspectModel` (on the model `validateModelJSON`'s
 * dry build makes, which has real shapes and no allocated weights), `analyzeInitialization` and
 * `lsuv` (through {@link walkModel}, which runs the same list eagerly).
 */

/** Where a tensor of the graph comes from: output `output` of node `node`, or model input `input`. */
export type Port = {node: number; output: number} | {input: number};

/** One call of one (non-container) layer. A shared layer called twice is two nodes. */
export interface GraphNode {
  /** Position in {@link ModelGraph.nodes} (a topological order). */
  index: number;
  layer: Layer;
  /**
   * The layer's name, prefixed by the names of the nested models that hold it (`'encoder/dense_1'`);
   * a second call of the same layer (or of the model holding it) gets `#2`, and so on.
   */
  path: string;
  className: string;
  /** Where each input tensor comes from, in the order the layer was wired. */
  inputs: Port[];
  /** Shapes of the inputs and outputs (batch dimension null), as tfjs inferred them. */
  inputShapes: Array<Array<number | null>>;
  outputShapes: Array<Array<number | null>>;
  /** The keyword arguments the layer was wired with (e.g. `training`). */
  kwargs: Kwargs;
  /** Indices of the nodes that consume any of this node's outputs. */
  consumers: number[];
  /** Whether one of its outputs is a model output. */
  isOutput: boolean;
}

/** A model as a flat graph of layer calls. */
export interface ModelGraph {
  nodes: GraphNode[];
  /** The model's inputs' shapes (batch dimension null). */
  inputShapes: Array<Array<number | null>>;
  /** Where each model output comes from. */
  outputs: Port[];
}

/** One layer call of an eager run through a model: the consumer computes and returns its outputs. */
export interface LayerCall {
  /** The layer to call. */
  layer: Layer;
  /** {@link GraphNode.path}. */
  path: string;
  /** The graph node of this call. */
  node: GraphNode;
  /** Concrete input tensors, in the order the layer was wired. */
  inputs: Tensor[];
  /** The keyword arguments the layer was wired with (e.g. `training`). */
  kwargs: Kwargs;
}

/** Fails unless `model` is a tfjs LayersModel (Sequential or functional). */
export function checkModel(owner: string, model: unknown): LayersModel {
  if (!(model instanceof LayersModel))
    fail(owner, 'model', 'a tf.LayersModel (tf.sequential or tf.model)', model);
  return model;
}

/**
 * Fails unless `batch` is a tensor (or one per model input, in an array) whose count matches the
 * model's inputs; returns them as an array.
 */
export function checkBatch(owner: string, model: LayersModel, batch: unknown): Tensor[] {
  const inputs = Array.isArray(batch) ? batch : [batch];
  if (inputs.some((t) => !(t instanceof Tensor) || t.isDisposed))
    fail(
      owner,
      'batch',
      'a tf.Tensor, or an array of them (one per model input), not disposed',
      batch,
    );
  if (inputs.length !== model.inputs.length) {
    throw new InitializerError(
      owner,
      'batch',
      `the model has ${plural(model.inputs.length, 'input')}. Received: ${plural(inputs.length, 'tensor')}`,
    );
  }
  return inputs as Tensor[];
}

/** True for a model used as a layer (Sequential or functional): it has layers of its own. */
export function isContainer(layer: Layer | LayersModel): layer is LayersModel {
  return (
    Array.isArray((layer as {layers?: unknown}).layers) &&
    Array.isArray((layer as {inputs?: unknown}).inputs)
  );
}

/** A leaf layer of a model, as {@link leafLayers} finds it. */
export interface LeafLayer {
  layer: Layer;
  /** Its name, prefixed by the names of the nested models that hold it: `'encoder/dense_1'`. */
  path: string;
  /** The nested models that hold it, outermost first (empty for a layer of `model` itself). */
  containers: LayersModel[];
}

/** Every leaf layer of a model, nested models expanded, with its path. */
export function leafLayers(
  model: LayersModel,
  prefix = '',
  containers: LayersModel[] = [],
): LeafLayer[] {
  const out: LeafLayer[] = [];
  for (const layer of model.layers as Layer[]) {
    const path = `${prefix}${layer.name}`;
    if (isContainer(layer)) out.push(...leafLayers(layer, `${path}/`, [...containers, layer]));
    else out.push({layer, path, containers});
  }
  return out;
}

/**
 * The properties through which a layer holds other layers: a wrapper's `layer` (for
 * `Bidirectional` the unbuilt template its saved config is written from), `Bidirectional`'s
 * `forwardLayer` and `backwardLayer`, an RNN's `cell`, `StackedRNNCells`' `cells`.
 */
const INNER_KEYS = ['layer', 'forwardLayer', 'backwardLayer', 'cell', 'cells'] as const;

/** Where an inner layer sits in a leaf layer: the property names (and array indices) leading to it. */
export type InnerPath = ReadonlyArray<string | number>;

/**
 * A leaf layer and every layer it holds (wrapped layers, RNN cells, stacked cells), each with its
 * {@link InnerPath}, the leaf itself first with the empty path: the objects that own weights and
 * initializer options inside one entry of `model.layers`.
 *
 * @example
 * ```ts
 * innerLayers(bidirectionalLstm).map((l) => l.path.join('.'));
 * // ['', 'layer', 'layer.cell', 'forwardLayer', 'forwardLayer.cell', 'backwardLayer', 'backwardLayer.cell']
 * ```
 */
export function innerLayers(
  layer: Layer,
  path: InnerPath = [],
): Array<{layer: Layer; path: InnerPath}> {
  const out: Array<{layer: Layer; path: InnerPath}> = [{layer, path}];
  const holder = layer as unknown as Record<string, unknown>;
  for (const key of INNER_KEYS) {
    const value = Object.prototype.hasOwnProperty.call(holder, key) ? holder[key] : undefined;
    if (value instanceof TfLayer) out.push(...innerLayers(value, [...path, key]));
    else if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => {
        if (v instanceof TfLayer) out.push(...innerLayers(v, [...path, key, i]));
      });
    }
  }
  return out;
}

/** The layer at `path` inside `layer` (see {@link innerLayers}), or null when there is none. */
export function innerLayer(layer: Layer, path: InnerPath): Layer | null {
  let at: unknown = layer;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return null;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at instanceof TfLayer ? at : null;
}

type Shape = Array<number | null>;
const shapeList = (s: unknown): Shape[] =>
  (Array.isArray(s) && Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape]).map((x) => [...x]);

/**
 * The graph of `model`: every call of every leaf layer, nested models expanded in place (their
 * inputs wired to whatever feeds them in the outer model), in topological order.
 *
 * @throws InitializerError for a graph whose outputs cannot be reached from its inputs.
 */
export function modelGraph(model: LayersModel): ModelGraph {
  const nodes: GraphNode[] = [];
  const paths = new Map<string, number>();
  const unique = (path: string): string => {
    const n = (paths.get(path) ?? 0) + 1;
    paths.set(path, n);
    return n === 1 ? path : `${path}#${n}`;
  };
  const expand = (container: LayersModel, inputs: Port[], prefix: string): Port[] => {
    const values = new Map<number, Port>();
    container.inputs.forEach((symbolic, i) => values.set(symbolic.id, inputs[i]));
    const done = new Set<number>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const layer of container.layers as Layer[]) {
        if (layer.getClassName() === 'InputLayer') continue;
        for (const node of layer.inboundNodes) {
          if (done.has(node.id)) continue;
          const ins = node.inputTensors.map((s) => values.get(s.id));
          if (ins.length === 0 || ins.some((p) => p === undefined)) continue; // not ready, or another model's node
          const ports = ins as Port[];
          const path = `${prefix}${layer.name}`;
          let outs: Port[];
          if (isContainer(layer)) {
            outs = expand(layer, ports, `${unique(path)}/`);
          } else {
            const index = nodes.length;
            nodes.push({
              index,
              layer,
              path: unique(path),
              className: layer.getClassName(),
              inputs: ports,
              inputShapes: node.inputTensors.map((s) => [...s.shape]),
              outputShapes: node.outputTensors.map((s) => [...s.shape]),
              kwargs: {...(node.callArgs ?? {})},
              consumers: [],
              isOutput: false,
            });
            for (const p of ports)
              if ('node' in p && !nodes[p.node].consumers.includes(index))
                nodes[p.node].consumers.push(index);
            outs = node.outputTensors.map((_, output) => ({node: index, output}));
          }
          node.outputTensors.forEach((s, i) => values.set(s.id, outs[i]));
          done.add(node.id);
          progress = true;
        }
      }
    }
    return container.outputs.map((s) => {
      const p = values.get(s.id);
      if (p === undefined)
        throw new InitializerError(
          'modelGraph',
          'model',
          `output '${s.name}' of model '${container.name}' could not be reached from its inputs`,
        );
      return p;
    });
  };
  const outputs = expand(
    model,
    model.inputs.map((_, input) => ({input})),
    '',
  );
  for (const p of outputs) if ('node' in p) nodes[p.node].isOutput = true;
  return {nodes, inputShapes: model.inputs.map((s) => shapeList(s.shape)[0]), outputs};
}

/** Layers whose outputs carry masks; the eager walk does not propagate masks, so it refuses them. */
function producesMask(layer: Layer): boolean {
  const config = layer.getConfig() as {maskZero?: unknown};
  return layer.getClassName() === 'Masking' || config.maskZero === true;
}

/**
 * Walks a model eagerly, one layer call of {@link modelGraph} at a time: it yields each call and
 * expects its output tensor(s) back through `next(outputs)`; it returns the model's outputs. The
 * consumer decides how each layer is called (plain `apply`, with a hook on the output, with its
 * activation swapped out, ...), synchronously or between `await`s — which `model.predict` cannot offer.
 *
 * Tensors: the walk creates none; the consumer owns every output it returns.
 *
 * @throws InitializerError for models with masking layers (`Masking`, `maskZero`), whose masks the
 * walk does not carry, and for graphs it cannot complete.
 */
export function* walkModel(
  model: LayersModel,
  inputs: Tensor[],
  graph: ModelGraph = modelGraph(model),
): Generator<LayerCall, Tensor[], Tensor | Tensor[]> {
  if (inputs.length !== model.inputs.length) {
    throw new InitializerError(
      'walkModel',
      'inputs',
      `the model has ${plural(model.inputs.length, 'input')}. Received: ${plural(inputs.length, 'tensor')}`,
    );
  }
  const masked = graph.nodes.find((n) => producesMask(n.layer));
  if (masked !== undefined) {
    throw new InitializerError(
      'walkModel',
      'model',
      `layer '${masked.path}' produces masks, which the ` +
        `layer-by-layer run does not propagate; remove masking to ` +
        `analyze this model`,
    );
  }
  const values: Tensor[][] = [];
  const read = (p: Port): Tensor => ('node' in p ? values[p.node][p.output] : inputs[p.input]);
  for (const node of graph.nodes) {
    const nodeInputs = node.inputs.map(read);
    checkOutputShape(node.layer, node.path, nodeInputs);
    const result = yield {
      layer: node.layer,
      path: node.path,
      node,
      inputs: nodeInputs,
      kwargs: {...node.kwargs},
    };
    values[node.index] = Array.isArray(result) ? result : [result];
  }
  return graph.outputs.map(read);
}

/**
 * Refuses, naming the layer, a call whose output would have a dimension below 1 — an input too
 * small for the model (an 8×8 image through InceptionV3's valid convolutions and poolings). tfjs
 * does not check it: the cpu backend fails later with "Shapes can not be < 0", and the wasm
 * backend's pooling kernels write outside their memory ("memory access out of bounds"). Layers
 * whose `computeOutputShape` cannot answer for these shapes are left to their own call.
 */
function checkOutputShape(layer: Layer, path: string, inputs: Tensor[]): void {
  let shapes: unknown;
  try {
    const given = inputs.map((t) => t.shape);
    shapes = layer.computeOutputShape(given.length === 1 ? given[0] : given);
  } catch {
    return;
  }
  const list = (Array.isArray(shapes) && Array.isArray(shapes[0]) ? shapes : [shapes]) as unknown[];
  for (const shape of list) {
    if (!Array.isArray(shape)) continue;
    if (shape.some((d) => typeof d === 'number' && d < 1))
      throw new InitializerError(
        'walkModel',
        'inputs',
        `layer '${path}' (${layer.getClassName()}) would output shape [${shape.join(', ')}] for ` +
          `input shape ${inputs.map((t) => `[${t.shape.join(', ')}]`).join(', ')}: the input is ` +
          `too small for this model`,
      );
  }
}

/** Runs a walk synchronously, computing every call with `call` (default: the layer's own `apply`). */
export function runWalk(
  walk: Generator<LayerCall, Tensor[], Tensor | Tensor[]>,
  call: (c: LayerCall) => Tensor | Tensor[],
): Tensor[] {
  let step = walk.next(undefined as unknown as Tensor);
  while (!step.done) step = walk.next(call(step.value));
  return step.value;
}

/** A layer's own plain call on concrete tensors. */
export function applyLayer(c: LayerCall, extra: Kwargs = {}): Tensor | Tensor[] {
  const input = c.inputs.length === 1 ? c.inputs[0] : c.inputs;
  const kwargs: Kwargs = {...c.kwargs, ...extra};
  // An RNN called with an initial state (a seq2seq decoder) keeps the state tensors both among its
  // node's inputs and in its `initialState` argument; they arrive here as inputs, and tfjs refuses
  // both at once.
  if (Array.isArray(input)) {
    delete kwargs.initialState;
    delete kwargs.constants;
  }
  return c.layer.apply(input, kwargs) as Tensor | Tensor[];
}
