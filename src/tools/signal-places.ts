import type {ModelGraph, GraphNode} from './graph';
import {activationOf} from './activation';
import {layerRole, type LayerRole} from './layer-kinds';

/**
 * Where a layer sits in the flow of the signal, for the rules that follow the signal's scale
 * through the graph (static: `inspectModel`; measured: `analyzeInitialization`).
 *
 * A **stretch** is the part of the graph between two points that reset the scale — a model input,
 * a normalization layer, an embedding, a recurrent layer, a softmax, or a layer the rules do not
 * model. Initialization problems compound within a stretch and are erased at its end, so trends
 * are judged stretch by stretch: the 17 BatchNormalizations of a MobileNetV2 cut it into short
 * stretches, while a 30-layer MLP without normalization is one.
 */
export interface SignalPlace {
  /** The node (index) or model input (−1 − i) whose output starts this node's stretch. */
  origin: number;
  /** Weighted layers from the origin to here, this one included, along the longest path. */
  depth: number;
  /**
   * Whether the node's output is a point where the signal's level matters: the output of a
   * nonlinearity (an activation layer, a weighted layer with a nonlinear activation, a recurrent
   * layer), or of a linear weighted layer whose output reaches another layer before it is
   * normalized. A linear layer whose output is only normalized (Conv → BN), summed into something
   * normalized (Dense → Add → LayerNorm), fed to a Dot/softmax, or is the model's output is not:
   * its scale is reset before anything nonlinear sees it.
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
  // Absorbed: every path from the node through pass-through layers and merges ends in a
  // normalization, a softmax, a layer the rules do not model, or a model output.
  const absorbed = new Array<boolean>(graph.nodes.length).fill(true);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    absorbed[i] = node.consumers.every((c) => {
      const p = places[c];
      if (p.role === 'passThrough' || p.role === 'merge') return absorbed[c];
      return resets(p.role, p.activation) && p.role !== 'embedding' && p.role !== 'recurrent';
    });
  }
  for (const node of graph.nodes) {
    const p = places[node.index];
    const linear = p.activation === null || p.activation === 'linear';
    if (p.role === 'weighted') p.point = !(linear && absorbed[node.index]);
    else if (p.role === 'activation') p.point = p.activation !== 'softmax';
    else if (p.role === 'recurrent') p.point = true;
  }
  return places;
}
