import type {LayerVariable, LayersModel} from '@tensorflow/tfjs-layers';
import type {Initializer, Layer} from '../core/tfjs';
import {InitializerError} from '../core/errors';
import {innerLayer, innerLayers, leafLayers, type InnerPath, type LeafLayer} from './graph';
import {serializeInitializer, type SerializedInitializer} from './initializer-spec';
import {replayBuild, type ReplayedWeight} from './replay-build';
import {findRole} from './weight-roles';

/**
 * One weight of a model: where it lives, and which initializer option of which layer draws it and
 * is saved for it. Found once, by replaying each layer's build from its config; never changed.
 */
export interface WeightSite {
  /** Index in `model.weights` (the order of `getWeights()` and of a saved `weights.bin`). */
  readonly k: number;
  readonly weight: LayerVariable;
  /** The entry of `model.layers` (nested models expanded) that holds it. */
  readonly leaf: LeafLayer;
  /** Index in `leaf.layer.weights`, and in the records of a replayed build of the leaf. */
  readonly index: number;
  /** Where the layer whose `build` creates the weight sits in the leaf (a wrapped layer, a cell). */
  readonly path: InnerPath;
  /** That layer (or RNN cell). */
  readonly owner: Layer;
  /** The layer the functional form of `applyInitializers` receives: the RNN rather than its cell. */
  readonly layer: Layer;
  /** Every layer a rule's `layer` may name to reach the weight (wrappers, nested models, cells). */
  readonly chain: readonly Layer[];
  /** The option without `Initializer`: `'kernel'`, `'bias'`, `'recurrent'`, ... */
  readonly role: string;
  /** The option: `'kernelInitializer'`, ... */
  readonly option: string;
  /** Whether `build` draws from an initializer derived from the option (LSTM `unitForgetBias`). */
  readonly derived: boolean;
  /**
   * Where the layer whose config saves the option sits: `path`, or for a `Bidirectional` the same
   * place in its template (`layer`), which saves one config for both directions.
   */
  readonly savedPath: InnerPath;
  /** The layer at `savedPath`: weights with the same `holder` and `option` share one saved option. */
  readonly holder: Layer;
  /** The option as `model.toJSON()` saves it now. */
  readonly saved: Initializer;
  /** What a model saved now reloads the weight with (the option; tfjs's derived initializer aside). */
  readonly reloads: SerializedInitializer;
}

/** The weights of a model, and the replayed build of each of its layers that has weights. */
export interface ModelSites {
  /** Every weight of `model.weights` that belongs to the model's own layers, in that order. */
  readonly sites: readonly WeightSite[];
  /** Each leaf layer's replayed build (see `replayBuild`), from its current config. */
  readonly replays: ReadonlyMap<Layer, readonly ReplayedWeight[]>;
}

const DIRECTIONS: readonly unknown[] = ['forwardLayer', 'backwardLayer'];

/** A layer's initializer option. */
export function option(layer: Layer, name: string): Initializer {
  return (layer as unknown as Record<string, Initializer>)[name];
}

/** Sets a layer's initializer option. */
export function setOption(layer: Layer, name: string, initializer: Initializer): void {
  (layer as unknown as Record<string, Initializer>)[name] = initializer;
}

/**
 * The initializer option a replayed build drew the weight of `site` from: the one its `addWeight`
 * received, or for a derived initializer the option it was derived from.
 */
export function drawnOption(record: ReplayedWeight, site: WeightSite): Initializer {
  return site.derived ? option(record.owner, site.option) : record.initializer;
}

/** The layers along `path` inside `leaf`, the leaf first. */
function along(leaf: Layer, path: InnerPath): Layer[] {
  const out: Layer[] = [];
  for (let j = 0; j <= path.length; j++) {
    const l = innerLayer(leaf, path.slice(0, j));
    if (l !== null) out.push(l);
  }
  return out;
}

/** Bidirectional keeps an unbuilt template (`layer`) from which it writes its saved config. */
function templatePath(leaf: Layer, path: InnerPath): InnerPath | null {
  if (path.length === 0 || !DIRECTIONS.includes(path[0])) return null;
  return innerLayer(leaf, ['layer']) === null ? null : ['layer', ...path.slice(1)];
}

/** How messages name a weight: as the saved file does (`originalName`, not tfjs's `_1` suffixes). */
export function weightName(weight: LayerVariable): string {
  return weight.originalName;
}

/**
 * Every weight of `model` with its layer, role and option, found by rebuilding each layer from its
 * config with `addWeight` recorded (see `replayBuild`).
 *
 * @param owner the public function, for error messages.
 * @throws InitializerError for a layer that cannot be rebuilt or whose weights cannot be placed.
 */
export function findSites(owner: string, model: LayersModel): ModelSites {
  const index = new Map(model.weights.map((w, k) => [w.id, k]));
  const sites: WeightSite[] = [];
  const replays = new Map<Layer, ReplayedWeight[]>();
  for (const leaf of leafLayers(model)) {
    const {layer} = leaf;
    if (layer.weights.length === 0) continue;
    const records = replayBuild(owner, layer);
    replays.set(layer, records);
    const copyPaths = new Map(innerLayers(records[0].copy).map((l) => [l.layer, l.path]));
    layer.weights.forEach((weight, i) => {
      const k = index.get(weight.id);
      if (k === undefined) return; // a weight of a layer shared with another model only
      sites.push(site(owner, leaf, weight, k, i, records[i], copyPaths));
    });
  }
  return {sites: sites.sort((a, b) => a.k - b.k), replays};
}

function site(
  owner: string,
  leaf: LeafLayer,
  weight: LayerVariable,
  k: number,
  index: number,
  record: ReplayedWeight,
  copyPaths: ReadonlyMap<Layer, InnerPath>,
): WeightSite {
  const {layer} = leaf;
  const path = copyPaths.get(record.owner);
  const inner = path === undefined ? null : innerLayer(layer, path);
  if (path === undefined || inner === null || !inner.weights.some((w) => w.id === weight.id)) {
    throw new InitializerError(
      owner,
      'model',
      `cannot tell which layer inside '${leaf.path}' (${layer.getClassName()}) ` +
        `holds its weight '${weightName(weight)}'`,
    );
  }
  const role = findRole(record.owner, record.name, record.initializer);
  if (role === null) {
    throw new InitializerError(
      owner,
      'model',
      `cannot tell which initializer option of layer ` +
        `'${inner.name}' (${inner.getClassName()}) its weight ` +
        `'${weightName(weight)}' comes from`,
    );
  }
  const template = templatePath(layer, path);
  const savedPath = template ?? path;
  const holder = innerLayer(layer, savedPath) ?? inner;
  const cellAt = path.findIndex((key) => key === 'cell' || key === 'cells');
  return {
    k,
    weight,
    leaf,
    index,
    path,
    owner: inner,
    layer: innerLayer(layer, cellAt < 0 ? path : path.slice(0, cellAt)) ?? layer,
    chain: [
      ...leaf.containers,
      ...along(layer, path),
      ...(template === null ? [] : along(layer, template).slice(1)),
    ],
    ...role,
    savedPath,
    holder,
    saved: option(holder, role.option),
    reloads: serializeInitializer(
      role.derived ? option(record.owner, role.option) : record.initializer,
    ),
  };
}
