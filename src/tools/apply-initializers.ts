import {tidy, type DataType, type Tensor, type Variable} from '@tensorflow/tfjs-core';
import type {LayerVariable, LayersModel} from '@tensorflow/tfjs-layers';
import type {Initializer, Layer} from '../core/tfjs';
import {InitializerError, describeValue, fail} from '../core/errors';
import {knownOptions, seed as seedOption} from '../core/options';
import {deriveSeed} from '../random/seed';
import {
  checkModel,
  innerLayer,
  innerLayers,
  leafLayers,
  type InnerPath,
  type LeafLayer,
} from './graph';
import {initializerProblem} from '../weights/initializer-fit';
import {
  checkRules,
  layerMatches,
  type CheckedRule,
  type InitializerRule,
} from './initializer-rules';
import {
  SPEC_ALLOWED,
  isInitializerSpec,
  resolveInitializer,
  serializeInitializer,
  type InitializerSpec,
  type SerializedInitializer,
} from './initializer-spec';
import {replayBuild} from './rebuild';
import {reseeded} from './reinitialize';
import {KNOWN_ROLES, findRole} from './weight-roles';

const OWNER = 'applyInitializers';

/**
 * The functional form of {@link applyInitializers}, PyTorch's `module.apply(fn)`: called once per
 * weight of `model.weights`, in that order, with the layer that holds it (for an RNN the RNN layer,
 * e.g. the `LSTM`, not its cell; for a wrapped layer the wrapped one, e.g. `Bidirectional`'s
 * `forward_…` LSTM), the weight's role (`'kernel'`, `'bias'`, `'recurrent'`, ...) and the weight.
 * Returns what the weight starts from, or `undefined`/`null` to leave it untouched.
 */
export type InitializerChooser = (
  layer: Layer,
  role: string,
  weight: LayerVariable,
) => InitializerSpec | null | undefined;

/** Options of {@link applyInitializers}. */
export interface ApplyInitializersOptions {
  /**
   * Integer in [0, 2^53 − 1]. Weight k of `model.weights` is drawn with seed `deriveSeed(seed, k)`
   * (as by `reinitialize`), whatever seed its new initializer has; the saved config keeps the
   * initializer's own seed setting. Without it, each initializer draws as configured (seeded: its
   * own values; unseeded, ours: the `setSeed` stream).
   */
  seed?: number;
}

/** What {@link applyInitializers} did to one weight. */
export interface AppliedInitializer {
  /** The weight's name, as in `model.weights`. */
  weight: string;
  /** The layer of `model.layers` that holds it, prefixed by nested models' names (`'encoder/dense_1'`). */
  layer: string;
  /** Its role: the layer option it comes from, without `Initializer`. */
  role: string;
  /** The weight's shape. */
  shape: number[];
  /** The option before: what the model was configured (and saved) with. */
  oldInitializer: SerializedInitializer;
  /** The option now, as `model.toJSON()` writes it. */
  newInitializer: SerializedInitializer;
  /**
   * The seed the values were drawn with (`deriveSeed(seed, k)`), or null: no `seed` given, or the
   * initializer takes none.
   */
  seed: number | null;
  /** Index of the rule that chose it; null for the functional form. */
  rule: number | null;
}

/** One weight of the model, and where its initializer option lives. */
interface Target {
  k: number;
  weight: LayerVariable;
  leaf: LeafLayer;
  index: number;
  path: InnerPath;
  owner: Layer;
  /** The layer the functional form receives. */
  layer: Layer;
  /** Every layer a rule's `layer` may name to reach this weight. */
  chain: Layer[];
  role: string;
  option: string;
  derived: boolean;
  /** The object whose option the saved config is written from: `owner`, or Bidirectional's template. */
  holder: Layer;
  /** What a model saved now would reload the weight with (the option; tfjs's derived initializer aside). */
  reloads: SerializedInitializer;
  initializer?: Initializer;
  rule?: CheckedRule;
}

const DIRECTIONS = ['forwardLayer', 'backwardLayer'];

/** A layer's initializer option. */
function option(layer: Layer, name: string): Initializer {
  return (layer as unknown as Record<string, Initializer>)[name];
}

/** Sets a layer's initializer option. */
function setOption(layer: Layer, name: string, initializer: Initializer): void {
  (layer as unknown as Record<string, Initializer>)[name] = initializer;
}

const same = (a: SerializedInitializer, b: SerializedInitializer): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

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
  if (path.length === 0 || !DIRECTIONS.includes(path[0] as string)) return null;
  return innerLayer(leaf, ['layer']) === null ? null : ['layer', ...path.slice(1)];
}

/** Every weight of the model with its owner, role and option, found by rebuilding each layer from its config. */
function discover(model: LayersModel): Target[] {
  const index = new Map(model.weights.map((w, k) => [w.id, k]));
  const targets: Target[] = [];
  for (const leaf of leafLayers(model)) {
    const {layer} = leaf;
    if (layer.weights.length === 0) continue;
    const records = replayBuild(OWNER, layer);
    const copyPaths = new Map(innerLayers(records[0].copy).map((l) => [l.layer, l.path]));
    layer.weights.forEach((weight, i) => {
      const k = index.get(weight.id);
      if (k === undefined) return; // a weight of a layer shared with another model only
      const record = records[i];
      const path = copyPaths.get(record.owner);
      const owner = path === undefined ? null : innerLayer(layer, path);
      if (path === undefined || owner === null || !owner.weights.some((w) => w.id === weight.id)) {
        throw new InitializerError(
          OWNER,
          'model',
          `cannot tell which layer inside '${leaf.path}' (${layer.getClassName()}) holds its weight '${weight.name}'`,
        );
      }
      const role = findRole(record.owner, record.name, record.initializer);
      if (role === null) {
        throw new InitializerError(
          OWNER,
          'model',
          `cannot tell which initializer option of layer ` +
            `'${owner.name}' (${owner.getClassName()}) its weight ` +
            `'${weight.name}' comes from`,
        );
      }
      const template = templatePath(layer, path);
      const holder = template === null ? owner : innerLayer(layer, template);
      const chain = [
        ...leaf.containers,
        ...along(layer, path),
        ...(template === null ? [] : along(layer, template).slice(1)),
      ];
      const cellAt = path.findIndex((key) => key === 'cell' || key === 'cells');
      const named = innerLayer(layer, cellAt < 0 ? path : path.slice(0, cellAt)) ?? layer;
      const reloads = serializeInitializer(
        role.derived ? option(record.owner, role.option) : record.initializer,
      );
      targets.push({
        k,
        weight,
        leaf,
        index: i,
        path,
        owner,
        layer: named,
        chain,
        ...role,
        holder: holder ?? owner,
        reloads,
      });
    });
  }
  return targets.sort((a, b) => a.k - b.k);
}

/** Rules form: the first matching rule of each weight; every rule must be the first match of some weight. */
function chooseByRules(rules: readonly unknown[], targets: Target[]): void {
  const roles = [...new Set([...KNOWN_ROLES, ...targets.map((t) => t.role)])];
  const checked = checkRules(OWNER, Array.from(rules), roles); // Array.from: holes become undefined, which fails
  for (const rule of checked) {
    const layers = targets.filter((t) => layerMatches(rule.layer, t.chain));
    const hits = layers.filter((t) => rule.weight === null || t.role === rule.weight);
    if (hits.length > 0) {
      for (const t of hits)
        if (t.rule === undefined) Object.assign(t, {rule, initializer: rule.initializer});
      continue;
    }
    if (layers.length === 0) {
      const classes = [...new Set(targets.map((t) => t.leaf.layer.getClassName()))].join(', ');
      throw new InitializerError(
        OWNER,
        `rules[${rule.index}].layer`,
        `${rule.label} matches no layer with weights in the model (their classes: ${classes || 'none'})`,
      );
    }
    const have = [...new Set(layers.map((t) => t.role))].map((r) => `'${r}'`).join(', ');
    throw new InitializerError(
      OWNER,
      `rules[${rule.index}].weight`,
      `${rule.label}: the layers it matches have no weight with role '${rule.weight}' (their roles: ${have})`,
    );
  }
  for (const rule of checked) {
    if (targets.some((t) => t.rule === rule)) continue;
    const earlier = [
      ...new Set(
        targets
          .filter(
            (t) =>
              layerMatches(rule.layer, t.chain) && (rule.weight === null || t.role === rule.weight),
          )
          .map((t) => `rules[${(t.rule as CheckedRule).index}]`),
      ),
    ];
    throw new InitializerError(
      OWNER,
      `rules[${rule.index}]`,
      `${rule.label} never applies: every weight it matches is ` +
        `taken by an earlier rule (${earlier.join(', ')}); put the ` +
        `more specific rule first`,
    );
  }
}

/** Functional form: one call per weight. */
function chooseByFunction(choose: InitializerChooser, targets: Target[]): void {
  for (const t of targets) {
    const spec = choose(t.layer, t.role, t.weight);
    if (spec === undefined || spec === null) continue;
    const result = `the function's result for weight '${t.weight.name}' (role '${t.role}')`;
    if (!isInitializerSpec(spec))
      throw new InitializerError(
        OWNER,
        'rules',
        `${result} must be ${SPEC_ALLOWED}, or undefined. Received: ${describeValue(spec)}`,
      );
    t.initializer = resolveInitializer(OWNER, 'rules', result, spec);
  }
}

function where(t: Target): string {
  return (
    `weight '${t.weight.name}' (role '${t.role}', ` +
    `shape ${describeValue(t.weight.shape)}) of layer ` +
    `'${t.leaf.path}' (${t.leaf.layer.getClassName()})`
  );
}

function label(t: Target): string {
  return t.rule?.label ?? "the function's result";
}

/** Refuses a choice that cannot fill its weight, or two choices for one saved option. */
function checkChoices(chosen: Target[], targets: Target[]): void {
  for (const t of chosen) {
    const problem = initializerProblem(
      t.initializer as Initializer,
      t.weight.shape as number[],
      t.weight.dtype,
    );
    if (problem !== null)
      throw new InitializerError(
        OWNER,
        t.rule === undefined ? 'rules' : `rules[${t.rule.index}]`,
        `${label(t)} cannot initialize ${where(t)}: ${problem}`,
      );
  }
  const groups = new Map<Layer, Map<string, Target[]>>();
  for (const t of targets) {
    const byOption = groups.get(t.holder) ?? new Map<string, Target[]>();
    byOption.set(t.option, [...(byOption.get(t.option) ?? []), t]);
    groups.set(t.holder, byOption);
  }
  for (const byOption of groups.values()) {
    for (const members of byOption.values()) {
      const picked = members.filter((t) => t.initializer !== undefined);
      if (picked.length === 0 || members.length === 1) continue;
      const configs = new Set(
        members.map((t) =>
          t.initializer === undefined
            ? 'unchanged'
            : JSON.stringify(serializeInitializer(t.initializer)),
        ),
      );
      if (configs.size > 1) {
        const t = picked[0];
        throw new InitializerError(
          OWNER,
          t.rule === undefined ? 'rules' : `rules[${t.rule.index}]`,
          `${label(t)} gives weights ${members.map((m) => `'${m.weight.name}'`).join(' and ')} ` +
            `of layer '${t.leaf.path}' (${t.leaf.layer.getClassName()}) ` +
            `different initializers, but they share one saved option ` +
            `(${t.option}); give them the same one`,
        );
      }
    }
  }
}

/**
 * Fails unless a model saved with the new options would reload every weight of the rebuilt
 * layer `copy` as intended: changed weights with their new initializer, the others as before.
 * (tfjs 4.22's SeparableConv2D, for one, reloads `pointwiseInitializer` from `depthwiseInitializer`.)
 */
function checkReload(copy: Layer, leafTargets: Target[]): void {
  const changed = leafTargets.filter((t) => t.initializer !== undefined);
  for (const t of changed) {
    setOption(innerLayer(copy, t.path) as Layer, t.option, t.initializer as Initializer);
    const template = templatePath(copy, t.path);
    if (template !== null)
      setOption(innerLayer(copy, template) as Layer, t.option, t.initializer as Initializer);
  }
  const leaf = leafTargets[0].leaf;
  const again = replayBuild(OWNER, leaf.layer, undefined, copy.getConfig() as never);
  for (const t of leafTargets) {
    const record = again[t.index];
    const got = serializeInitializer(
      t.derived ? option(record.owner, t.option) : record.initializer,
    );
    const want = t.initializer === undefined ? t.reloads : serializeInitializer(t.initializer);
    if (!same(got, want)) {
      const by = t.initializer === undefined ? changed[0] : t;
      throw new InitializerError(
        OWNER,
        by.rule === undefined ? 'rules' : `rules[${by.rule.index}]`,
        `${label(by)}: a model saved after this change would ` +
          `reload ${where(t)} with ${got.className} ${JSON.stringify(got.config)} ` +
          `instead of ${want.className} ${JSON.stringify(want.config)}, ` +
          `because tfjs's ${t.owner.getClassName()} does not restore ` +
          `its ${t.option} from its config; choose initializers that ` +
          `survive it (for SeparableConv2D: the same for depthwise ` +
          `and pointwise)`,
      );
    }
  }
}

/**
 * Draws the new value of every chosen weight, rebuilding each affected layer with its new options
 * (seeded per weight), and checks what a reload would draw; nothing is assigned yet.
 */
function draw(
  targets: Target[],
  seed: number | undefined,
): Map<Target, {value: Tensor; seed: number | null}> {
  const drawn = new Map<Target, {value: Tensor; seed: number | null}>();
  const byLeaf = new Map<Layer, Target[]>();
  for (const t of targets) byLeaf.set(t.leaf.layer, [...(byLeaf.get(t.leaf.layer) ?? []), t]);
  try {
    for (const [leaf, leafTargets] of byLeaf) {
      const plan = leafTargets
        .filter((t) => t.initializer !== undefined)
        .map((t) => {
          const weightSeed = seed === undefined ? null : deriveSeed(seed, t.k);
          const seededInit =
            weightSeed === null ? null : reseeded(t.initializer as Initializer, weightSeed);
          return {
            t,
            init: seededInit ?? (t.initializer as Initializer),
            seed: seededInit === null ? null : weightSeed,
          };
        });
      if (plan.length === 0) continue;
      const records = replayBuild(OWNER, leaf, (copy) => {
        for (const {t, init} of plan) setOption(innerLayer(copy, t.path) as Layer, t.option, init);
      });
      for (const {t, init, seed: weightSeed} of plan) {
        const record = records[t.index];
        if (!t.derived && record.initializer !== init) {
          throw new InitializerError(
            OWNER,
            'model',
            `rebuilding layer '${t.leaf.path}' did not use the new ${t.option} for ${where(t)}`,
          );
        }
        try {
          drawn.set(t, {
            value: tidy(() =>
              record.initializer.apply(t.weight.shape as number[], record.dtype as DataType),
            ),
            seed: weightSeed,
          });
        } catch (e) {
          throw new InitializerError(
            OWNER,
            t.rule === undefined ? 'rules' : `rules[${t.rule.index}]`,
            `${label(t)} cannot initialize ${where(t)}: ${(e as Error).message}`,
          );
        }
      }
      checkReload(records[0].copy, leafTargets);
    }
  } catch (e) {
    for (const {value} of drawn.values()) value.dispose();
    throw e;
  }
  return drawn;
}

/**
 * Initializes a whole model by rule, as PyTorch users do with `net.apply(weights_init)`: says once
 * how each kind of weight starts — every Dense kernel Xavier uniform, every bias zero, every conv
 * kernel Kaiming — and applies it to every weight it matches, nested models, wrappers
 * (`Bidirectional`, `TimeDistributed`) and RNN cells included.
 *
 * **Values and config move together.** Each matched weight is redrawn in place by the new
 * initializer *and* the layer's initializer option (`kernelInitializer`, `biasInitializer`, ...)
 * is replaced by it, so `model.toJSON()` and `model.save()` name the new initializer with its
 * options, and a model reloaded without weights (`fileIO(dir, {weights: false})`) draws from the
 * same scheme. Unmatched weights keep their values bit for bit and their options.
 *
 * **Rules** (see {@link InitializerRule}): for each weight the first matching rule wins. Every rule
 * must apply to at least one weight: a rule that matches nothing, or only weights an earlier rule
 * took, is an error (a misspelt name, or a general rule put before a specific one). A **function**
 * instead of rules is called once per weight
 * (see {@link InitializerChooser}).
 *
 * **All or nothing.** Every rule and every choice is checked — rule shape, role names, initializer
 * names and configs, whether the scheme can fill the weight's shape and dtype (e.g. `Dirac` needs
 * a conv kernel), whether a saved model could name it and would reload the weight with it (tfjs
 * 4.22's SeparableConv2D reloads its pointwise kernel with `depthwiseInitializer`, so the two must
 * agree), and whether Bidirectional's two directions, which share one saved config, get the same
 * initializer — and every new value is drawn before any weight or option changes. On error an
 * {@link InitializerError} names the rule, the layer and the
 * weight, and the model is exactly as before. Memory: the new values of the matched weights exist
 * side by side with the old ones until they are assigned. Leaves `tf.memory().numTensors` unchanged.
 *
 * **LSTM / ConvLSTM2D with `unitForgetBias: true`**: tfjs builds their bias as
 * [init(units), ones(units), init(2·units)]. A `bias` rule replaces `biasInitializer` and draws the
 * bias the same way, so the forget-gate quarter stays ones — which is also what a reload draws
 * (and a seeded initializer, called twice by tfjs, repeats its first `units` values, as it does
 * when tfjs builds the layer). To draw the whole bias from the rule, leave `unitForgetBias` off.
 *
 * How: each layer with weights is rebuilt from its config, as `reinitialize` does, which shows
 * which option initializes which weight (by identity: the option holding the very initializer
 * `addWeight` received; see `WEIGHT_ROLES`); the new values are drawn by rebuilding the affected
 * layers with the new options (so tfjs's own derivations, like the forget-gate wrapper, apply),
 * and once more from the config they would save, to check what a reload draws.
 * Layers and initializers must be registered with `tf.serialization` — the condition for saving.
 * The optimizer's state is not touched: compile again to reset it.
 *
 * @param rules an ordered array of {@link InitializerRule}s, or an {@link InitializerChooser}.
 * @returns one entry per changed weight, in the order of `model.weights`.
 * @example
 * ```ts
 * applyInitializers(model, [
 *   {layer: 'Dense', weight: 'kernel', initializer: new XavierUniformCustom({gain: 5 / 3})},
 *   {layer: 'Conv2D', weight: 'kernel', initializer: new KaimingNormal({mode: 'fanOut', nonlinearity: 'relu'})},
 *   {weight: 'bias', initializer: 'ZeroBias'},
 *   {layer: 'BatchNormalization', weight: 'gamma', initializer: 'ones'},
 * ], {seed: 42});
 * // PyTorch's apply: one call per weight
 * applyInitializers(model, (layer, role) =>
 *   layer.getClassName() === 'Dense' && role === 'kernel' ? 'XavierUniformCustom' : undefined,
 * );
 * ```
 * @see PyTorch's `nn.Module.apply` with `torch.nn.init`; `reinitialize` re-runs the configured initializers instead.
 */
export function applyInitializers(
  model: LayersModel,
  rules: readonly InitializerRule[] | InitializerChooser,
  options: ApplyInitializersOptions = {},
): AppliedInitializer[] {
  checkModel(OWNER, model);
  const seed =
    seedOption()(knownOptions(OWNER, options, ['seed']).seed, OWNER, 'seed') ?? undefined;
  if (typeof rules !== 'function' && (!Array.isArray(rules) || rules.length === 0))
    fail(OWNER, 'rules', 'a non-empty array of rules, or a function', rules);
  const targets = discover(model);
  if (typeof rules === 'function') chooseByFunction(rules as InitializerChooser, targets);
  else chooseByRules(rules, targets);
  const chosen = targets.filter((t) => t.initializer !== undefined);
  checkChoices(chosen, targets);
  const drawn = draw(targets, seed);
  // Nothing can fail from here on: assign the values, then switch the options.
  const report: AppliedInitializer[] = [];
  for (const t of chosen) {
    const {value, seed: weightSeed} = drawn.get(t) as {value: Tensor; seed: number | null};
    (t.weight.read() as Variable).assign(value);
    value.dispose();
    const init = t.initializer as Initializer;
    const old = option(t.holder, t.option);
    report.push({
      weight: t.weight.name,
      layer: t.leaf.path,
      role: t.role,
      shape: [...(t.weight.shape as number[])],
      oldInitializer: serializeInitializer(old),
      newInitializer: serializeInitializer(init),
      seed: weightSeed,
      rule: t.rule?.index ?? null,
    });
  }
  for (const t of chosen) {
    setOption(t.owner, t.option, t.initializer as Initializer);
    setOption(t.holder, t.option, t.initializer as Initializer);
  }
  return report;
}
