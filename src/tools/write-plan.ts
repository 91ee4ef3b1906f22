import type {DataType, Variable, serialization} from '@tensorflow/tfjs-core';
import type {Initializer, Layer} from '../core/tfjs';
import {InitializerError, describeValue} from '../core/errors';
import {deriveSeed} from '../random/seed';
import {prepareInitializer, writePrepared, type PreparedValue} from '../initializers/write-values';
import {innerLayer} from './graph';
import {initializerProblem} from '../weights/initializer-fit';
import type {CheckedRule} from './initializer-rules';
import {reproducible, withSeed} from './initializer-seed';
import {serializeInitializer, type SerializedInitializer} from './initializer-spec';
import {copier, replayBuild, type ReplayedWeight} from './replay-build';
import {drawnOption, setOption, weightName, type ModelSites, type WeightSite} from './weight-sites';

/**
 * How every writer of this package (`reinitialize`, `applyInitializers`) changes a model, in
 * stages that each compute a value: the caller **chooses** an initializer for some weights
 * ({@link Choice}); {@link writeChoices} then **validates** the choices, gives them their
 * **seeds**, **rebuilds** each affected layer once from the config it will save — so that every new
 * value is drawn by exactly the initializer a load of that config uses — **draws** every value,
 * and only then **writes** values and options. Either every weight and option changes or none.
 *
 * The invariant this keeps: after a write, a drawn weight's saved config reproduces its value bit
 * for bit on a load without weights when the draw was seeded (the config carries that seed) or
 * draws nothing random; otherwise the config carries no seed and {@link Redraw.reproducible} says so.
 */

/**
 * Who chose a weight's initializer: a rule, the functional form of `applyInitializers`, or the
 * weight's own option, redrawn as configured (`reinitialize`).
 */
export type Chooser = CheckedRule | 'function' | 'own';

/** One weight and the initializer it starts from (before seeding). */
export interface Choice {
  readonly site: WeightSite;
  readonly initializer: Initializer;
  readonly by: Chooser;
}

/** A choice with its seed: what the saved config will name, and the seed the value is drawn with. */
export interface Planned extends Choice {
  /** The option the saved config names from now on: the choice, carrying the seed if one was given. */
  readonly saved: Initializer;
  /** The seed the value is drawn with (the one `saved` carries), or null. */
  readonly seed: number | null;
}

/** A planned weight after its layer's rebuild: what draws its value, as a load of the saved config would. */
export interface Redraw extends Planned {
  /** The initializer the rebuilt layer passed to `addWeight` (tfjs's derived ones included). */
  readonly draws: Initializer;
  readonly dtype: DataType;
  /** The option of the rebuilt layer the value comes from (the one `draws` is, or is derived from). */
  readonly from: Initializer;
  /** Whether the saved config reproduces the value on a load without weights (seeded, or not random). */
  readonly reproducible: boolean;
}

/** The error parameter for a choice: the rule (`rules[2]`), the function (`rules`) or the model. */
function parameterOf(by: Chooser): string {
  if (by === 'function') return 'rules';
  return by === 'own' ? 'model' : `rules[${by.index}]`;
}

function labelOf(by: Chooser): string {
  if (by === 'function') return "the function's result";
  return by === 'own' ? 'its own initializer' : by.label;
}

/** A weight as messages name it: as the saved file does, with its role, shape and layer. */
function where(site: WeightSite): string {
  return (
    `weight '${weightName(site.weight)}' (role '${site.role}', ` +
    `shape ${describeValue(site.weight.shape)}) of layer ` +
    `'${site.leaf.path}' (${site.leaf.layer.getClassName()})`
  );
}

const text = (init: SerializedInitializer): string => JSON.stringify(init);

/** Validate: each chosen scheme fits its weight, and weights that share one saved option agree. */
function checkChoices(owner: string, choices: readonly Choice[], sites: ModelSites): void {
  for (const {site, initializer, by} of choices) {
    if (by === 'own') continue; // the model was built with it
    const problem = initializerProblem(
      initializer,
      site.weight.shape as number[],
      site.weight.dtype,
    );
    if (problem !== null)
      throw new InitializerError(
        owner,
        parameterOf(by),
        `${labelOf(by)} cannot initialize ${where(site)}: ${problem}`,
      );
  }
  const chosen = new Map(choices.map((c) => [c.site, c]));
  for (const members of groups(sites.sites).values()) {
    const picked = members.filter((s) => chosen.has(s));
    if (picked.length === 0 || members.length === 1) continue;
    const configs = new Set(
      members.map((s) => {
        const c = chosen.get(s);
        return c === undefined ? 'unchanged' : text(serializeInitializer(c.initializer));
      }),
    );
    if (configs.size > 1) {
      const {site, by} = chosen.get(picked[0]) as Choice;
      throw new InitializerError(
        owner,
        parameterOf(by),
        `${labelOf(by)} gives weights ${members.map((m) => `'${weightName(m.weight)}'`).join(' and ')} ` +
          `of layer '${site.leaf.path}' (${site.leaf.layer.getClassName()}) ` +
          `different initializers, but they share one saved option ` +
          `(${site.option}); give them the same one`,
      );
    }
  }
}

/** Weights grouped by the saved option they share (one config for both directions of a Bidirectional). */
function groups(sites: readonly WeightSite[]): Map<string, WeightSite[]> {
  const holders = new Map<Layer, number>();
  const out = new Map<string, WeightSite[]>();
  for (const s of sites) {
    if (!holders.has(s.holder)) holders.set(s.holder, holders.size);
    const key = `${holders.get(s.holder) as number}/${s.option}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

/**
 * Seeds: with `seed`, every choice that takes a seed is saved with `deriveSeed(seed, k)`, k the
 * index in `model.weights` of the first weight of its saved option (so weights that share one
 * option — a Bidirectional's two directions — share its seed, as a reload draws them); without it,
 * each choice is saved as it is.
 */
function seedChoices(choices: readonly Choice[], seed: number | undefined): Planned[] {
  const first = new Map<WeightSite, number>(); // the k whose seed each weight's option takes
  for (const members of groups(choices.map((c) => c.site)).values()) {
    const k = Math.min(...members.map((s) => s.k));
    for (const s of members) first.set(s, k);
  }
  return choices.map((c) => {
    if (seed === undefined) return {...c, saved: c.initializer, seed: null};
    const derived = deriveSeed(seed, first.get(c.site) as number);
    const seeded = withSeed(c.initializer, derived);
    return seeded === null
      ? {...c, saved: c.initializer, seed: null}
      : {...c, saved: seeded, seed: derived};
  });
}

/** A saved initializer without its seed: what a reseeded option must still be. */
function unseeded(init: SerializedInitializer): string {
  const {seed: _seed, ...config} = init.config;
  return text({className: init.className, config});
}

/**
 * Rebuild once: each layer with planned weights is rebuilt from the config it will save (the
 * current one when no option changes), and each planned weight gets the initializer that rebuild
 * drew it with. Fails when a model saved after the change would not reload a weight as intended:
 * a chosen weight with its new initializer, every other weight with its initializer as before
 * (a redrawn one up to its seed). tfjs 4.22's SeparableConv2D, for one, reloads
 * `pointwiseInitializer` from `depthwiseInitializer`.
 */
function rebuildOnce(owner: string, found: ModelSites, planned: readonly Planned[]): Redraw[] {
  const byLeaf = new Map<Layer, Planned[]>();
  for (const p of planned) {
    const leaf = p.site.leaf.layer;
    byLeaf.set(leaf, [...(byLeaf.get(leaf) ?? []), p]);
  }
  const redraws: Redraw[] = [];
  for (const [leaf, mine] of byLeaf) {
    const records = mine.some((p) => p.saved !== p.site.saved)
      ? replayBuild(owner, leaf, savedConfig(owner, leaf, mine))
      : (found.replays.get(leaf) as readonly ReplayedWeight[]);
    checkReload(owner, records, found.sites, mine);
    for (const p of mine) {
      const record = records[p.site.index];
      const from = drawnOption(record, p.site);
      redraws.push({
        ...p,
        draws: record.initializer,
        dtype: record.dtype,
        from,
        reproducible: reproducible(from),
      });
    }
  }
  return redraws.sort((a, b) => a.site.k - b.site.k);
}

/** The config `leaf` saves once the planned options are set (computed on an unbuilt copy). */
function savedConfig(
  owner: string,
  leaf: Layer,
  mine: readonly Planned[],
): serialization.ConfigDict {
  const staged = copier(owner, leaf)();
  for (const {site, saved} of mine) {
    for (const path of [site.path, site.savedPath]) {
      const inner = innerLayer(staged, path);
      if (inner !== null) setOption(inner, site.option, saved);
    }
  }
  return staged.getConfig() as serialization.ConfigDict;
}

function checkReload(
  owner: string,
  records: readonly ReplayedWeight[],
  sites: readonly WeightSite[],
  mine: readonly Planned[],
): void {
  const leaf = mine[0].site.leaf.layer;
  const planned = new Map(mine.map((p) => [p.site, p]));
  const changed = mine.find((p) => p.by !== 'own') ?? mine[0];
  for (const site of sites) {
    if (site.leaf.layer !== leaf) continue;
    const p = planned.get(site);
    const got = serializeInitializer(drawnOption(records[site.index], site));
    const chosen = p !== undefined && p.by !== 'own';
    const want = chosen ? serializeInitializer(p.saved) : site.reloads;
    if (chosen ? text(got) === text(want) : unseeded(got) === unseeded(want)) continue;
    const by = chosen ? p.by : changed.by;
    throw new InitializerError(
      owner,
      parameterOf(by),
      `${labelOf(by)}: a model saved after this change would ` +
        `reload ${where(site)} with ${got.className} ${JSON.stringify(got.config)} ` +
        `instead of ${want.className} ${JSON.stringify(want.config)}, ` +
        `because tfjs's ${site.owner.getClassName()} does not restore ` +
        `its ${site.option} from its config; choose initializers that ` +
        `survive it (for SeparableConv2D: the same for depthwise ` +
        `and pointwise)`,
    );
  }
}

/**
 * Prepares every new value (`prepareInitializer`: this package's fills are drawn later straight
 * into the weight's memory, others now); on any failure disposes those prepared and names the choice.
 */
function drawValues(owner: string, redraws: readonly Redraw[]): PreparedValue[] {
  const values: PreparedValue[] = [];
  try {
    for (const r of redraws) {
      try {
        values.push(prepareInitializer(r.draws, r.site.weight.shape as number[], r.dtype));
      } catch (e) {
        throw new InitializerError(
          owner,
          parameterOf(r.by),
          `${labelOf(r.by)} cannot initialize ${where(r.site)}: ${(e as Error).message}`,
        );
      }
    }
  } catch (e) {
    for (const v of values) v.dispose();
    throw e;
  }
  return values;
}

/**
 * Writes every value (into the weight's own memory where the backend allows, else by `assign`),
 * then sets every changed option. Nothing can fail here.
 */
function commit(redraws: readonly Redraw[], values: readonly PreparedValue[]): void {
  redraws.forEach((r, i) => writePrepared(r.site.weight.read() as Variable, values[i]));
  for (const {site, saved} of redraws) {
    if (saved === site.saved) continue;
    setOption(site.owner, site.option, saved);
    setOption(site.holder, site.option, saved);
  }
}

/**
 * Validates `choices`, seeds them (with `seed`: `deriveSeed(seed, k)` for the weight k whose saved
 * option it is, written into that option), rebuilds each affected layer once from the config it
 * will save, draws every new value, and only then
 * assigns the values and sets the options. On any error an {@link InitializerError} names the
 * choice, the layer and the weight, and the model is exactly as before; `tf.memory().numTensors`
 * is unchanged either way. Memory: this package's fills are drawn straight into each weight's own
 * memory on cpu and wasm; other values exist beside the old ones until they are assigned.
 *
 * @param owner the public function, for error messages.
 * @returns one {@link Redraw} per choice, in the order of `model.weights`.
 */
export function writeChoices(
  owner: string,
  found: ModelSites,
  choices: readonly Choice[],
  seed: number | undefined,
): Redraw[] {
  checkChoices(owner, choices, found);
  const redraws = rebuildOnce(owner, found, seedChoices(choices, seed));
  commit(redraws, drawValues(owner, redraws));
  return redraws;
}
