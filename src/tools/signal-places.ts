import type {ModelGraph, GraphNode} from './graph';
import {activationOf} from './activation';
import {layerRole, type LayerRole} from './layer-kinds';

/**
 * Where a layer sits in the flow of the signal, for the rules that follow the signal's scale
 * through the graph (static: `inspectModel`; measured: `analyzeInitialization`).
 *
 * A **stretch** is the part of the graph between two points that reset the scale — a model input,
 * a normalization layer, an embedding, a recurrent layer, a softmax, a pooling that averages, or a
 * layer the rules do not model. Initialization problems compound within a stretch and are erased at
 * its end, so trends are judged stretch by stretch: the 17 BatchNormalizations of a MobileNetV2 cut
 * it into short stretches, while a 30-layer MLP without normalization is one.
 */
export interface SignalPlace {
  /** The node (index) or model input (−1 − i) whose output starts this node's stretch. */
  origin: number;
  /** Weighted layers from the origin to here, this one included, along the longest path. */
  depth: number;
  /**
   * Whether the node's output is a point where the signal's level matters: a layer whose
   * nonlinearity is sensitive to the scale of its input (tanh, sigmoid, ELU, ReLU6, ...: judged by
   * that input, its pre-activation), or any layer whose output reaches something scale-sensitive
   * (a sensitive nonlinearity, the loss through a nonlinear head, a residual sum) before it is
   * normalized. A step whose output reaches a normalization only through positively homogeneous
   * steps — linear maps, ReLU, LeakyReLU, PReLU, pooling, reshaping — is not: multiplying it by
   * any c > 0 changes nothing after the normalization (Conv → BN, Conv(relu) → BN,
   * BN → LeakyReLU → Conv → BN). Nor is a linear layer whose output is the model's output, nor a
   * softmax. A model output is scale-sensitive (the loss reads it), so what feeds it is judged.
   */
  point: boolean;
  role: LayerRole;
  /** The nonlinearity the node applies (`'relu'`, `'tanh'`, `'linear'`), null for none. */
  activation: string | null;
}

/** The role of a graph node; TimeDistributed takes its wrapped layer's. */
export function nodeRole(node: GraphNode): LayerRole {
  const inner = (node.layer as unknown as {layer?: {getClassName(): string}}).layer;
  return layerRole(node.className, inner?.getClassName());
}

/** The activation a node applies (a wrapped layer's, for TimeDistributed). */
export function nodeActivation(node: GraphNode): string | null {
  const inner = (node.layer as unknown as {layer?: {getClassName(): string; getConfig(): object}})
    .layer;
  if (node.className === 'TimeDistributed' && inner !== undefined)
    return activationOf(inner.getClassName(), inner.getConfig() as Record<string, unknown>);
  return activationOf(node.className, node.layer.getConfig() as Record<string, unknown>);
}

/**
 * Activations f with f(c·z) = c·f(z) for every c > 0: scaling their input scales their output and
 * changes nothing else, so a normalization after them removes the scale entirely.
 */
export const HOMOGENEOUS_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'leakyRelu', 'prelu'];

const homogeneous = (activation: string | null): boolean =>
  activation === null || HOMOGENEOUS_ACTIVATIONS.includes(activation);

/**
 * Poolings that average or take a global maximum: linear or positively homogeneous, but they start
 * a stretch (see `layerRole`: the scale they hand on depends on how correlated the positions are).
 */
export const POOLINGS: ReadonlySet<string> = new Set([
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
]);

/** Roles whose output starts a new stretch. */
function resets(role: LayerRole, activation: string | null): boolean {
  return (
    role === 'normalization' ||
    role === 'embedding' ||
    role === 'recurrent' ||
    role === 'other' ||
    (role === 'activation' && activation === 'softmax')
  );
}

/**
 * The place of every node of `graph` in the signal flow (see {@link SignalPlace}), by index.
 *
 * A residual join (Add, Concatenate, ...) with a normalized input — a branch that ends in
 * BatchNormalization, as in ResNet and MobileNetV2 — also starts a stretch: the stream it makes is a
 * sum of normalized branches, whose scale grows additively (the √depth growth of a residual
 * stream, and of its gradient) rather than compounding layer by layer.
 *
 * @param options.normalizes whether a normalization node normalizes (inference mode: a fresh
 * BatchNormalization with moving statistics 0 and 1 is an identity). Default: all do.
 */
export function signalPlaces(
  graph: ModelGraph,
  options: {normalizes?: (node: GraphNode) => boolean} = {},
): SignalPlace[] {
  const normalizes = options.normalizes ?? ((): boolean => true);
  const places: SignalPlace[] = [];
  const normalized = (p: GraphNode['inputs'][number]): boolean => {
    if (!('node' in p)) return false;
    const from = places[p.node];
    if (from.role === 'normalization') return true;
    return (
      from.role === 'passThrough' &&
      graph.nodes[p.node].inputs.length === 1 &&
      normalized(graph.nodes[p.node].inputs[0])
    );
  };
  for (const node of graph.nodes) {
    let role = nodeRole(node);
    if (role === 'normalization' && !normalizes(node)) role = 'passThrough';
    const activation = nodeActivation(node);
    let origin: number;
    let depth: number;
    if (resets(role, activation) || (role === 'merge' && node.inputs.some(normalized))) {
      origin = node.index;
      depth = 0;
    } else {
      // The input that has come through the most weighted layers since its origin carries the stretch.
      const from = node.inputs.map((p) =>
        'node' in p ? places[p.node] : {origin: -1 - p.input, depth: 0},
      );
      const best = from.reduce(
        (a, b) => (b.depth > a.depth ? b : a),
        from[0] ?? {origin: node.index, depth: 0},
      );
      origin = best.origin;
      depth = best.depth + (role === 'weighted' ? 1 : 0);
    }
    places.push({origin, depth, point: false, role, activation});
  }
  const absorbed = scaleFree(graph, places);
  for (const node of graph.nodes) {
    const p = places[node.index];
    const free = homogeneous(p.activation) && absorbed[node.index];
    // A linear layer that only makes the model's output (logits, a regression) is not a point: the
    // loss reads it, but no nonlinearity of the network does.
    const linearOutput = node.consumers.length === 0 && (p.activation ?? 'linear') === 'linear';
    if (p.role === 'weighted') p.point = p.activation !== 'softmax' && !free && !linearOutput;
    else if (p.role === 'activation') p.point = p.activation !== 'softmax' && !free;
    else if (p.role === 'recurrent') p.point = true;
  }
  return places;
}

/**
 * For each node, whether the scale of its output is removed downstream: every path from it runs
 * through positively homogeneous steps only (pass-through layers, poolings, merges, weighted
 * layers and activations whose activation is homogeneous) and ends in a normalization that
 * normalizes. A softmax is not one (the scale of its input is its temperature), nor a model output,
 * nor a layer the rules do not model.
 */
function scaleFree(graph: ModelGraph, places: SignalPlace[]): boolean[] {
  const free = new Array<boolean>(graph.nodes.length).fill(true);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    // A model output's scale reaches the loss: it is not free, and neither is what feeds it
    // through homogeneous steps.
    if (graph.nodes[i].isOutput) {
      free[i] = false;
      continue;
    }
    free[i] = graph.nodes[i].consumers.every((c) => {
      const p = places[c];
      const className = graph.nodes[c].className;
      if (p.role === 'normalization') return true;
      if (p.role === 'passThrough' || p.role === 'merge' || POOLINGS.has(className)) return free[c];
      if (p.role === 'weighted' || p.role === 'activation')
        return homogeneous(p.activation) && free[c];
      return false;
    });
  }
  return free;
}

/** What kind of join a merge node is, for the report: see {@link joinKind}. */
export type JoinKind = 'residual' | 'join';

/**
 * For a merge node (Add, Concatenate, ...): `'residual'` when it sums (Add, Subtract, Average)
 * branches that share an ancestor — a skip connection, ResNet's and MobileNetV2's Add — else
 * `'join'`: a concatenation of parallel branches (Inception), or a join of inputs that share
 * nothing (a decoder's latent code and its label). Null for other nodes.
 */
export function joinKind(graph: ModelGraph, node: GraphNode): JoinKind | null {
  if (nodeRole(node) !== 'merge' || node.inputs.length < 2) return null;
  if (!['Add', 'Subtract', 'Average'].includes(node.className)) return 'join';
  const ancestors = node.inputs.map((p) => upstream(graph, p));
  for (let a = 0; a < ancestors.length; a++)
    for (let b = a + 1; b < ancestors.length; b++)
      for (const x of ancestors[a]) if (ancestors[b].has(x)) return 'residual';
  return 'join';
}

/** Every node (index) and model input (−1 − i) a port depends on, itself included. */
function upstream(graph: ModelGraph, port: GraphNode['inputs'][number]): Set<number> {
  const seen = new Set<number>();
  const stack = [port];
  while (stack.length > 0) {
    const p = stack.pop() as GraphNode['inputs'][number];
    const key = 'node' in p ? p.node : -1 - p.input;
    if (seen.has(key)) continue;
    seen.add(key);
    if ('node' in p) stack.push(...graph.nodes[p.node].inputs);
  }
  return seen;
}
