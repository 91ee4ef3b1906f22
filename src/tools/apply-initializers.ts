import type {LayerVariable, LayersModel} from '@tensorflow/tfjs-layers';
import type {Layer} from '../core/tfjs';
import {InitializerError, describeValue, fail} from '../core/errors';
import {knownOptions, seed as seedOption} from '../core/options';
import {checkModel} from './graph';
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
import {KNOWN_ROLES} from './weight-roles';
import {findSites, weightName, type WeightSite} from './weight-sites';
import {writeChoices, type Choice} from './write-plan';

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
   * (as by `reinitialize`), whatever seed its new initializer has, and the saved option carries
   * that seed, so a model saved afterwards reproduces the value on a load without weights (weights
   * that share one saved option, a `Bidirectional`'s two directions, share the seed of the first).
   * Without it, each initializer draws as configured (seeded: its own values; unseeded, ours: the
   * `setSeed` stream) and is saved as it is.
   */
  seed?: number;
  /**
   * What happens to the weights no rule (or function call) chooses. `'keep'` (default): they keep
   * their values bit for bit, and their options. `'reinitialize'`: they are redrawn by their own
   * options, as `reinitialize` does (seeded with `deriveSeed(seed, k)`, the seed written to the
   * option) — for a model whose values were never stored, e.g. one loaded without weights, so that
   * with `seed` every value of the result follows from the seed and the topology.
   */
  unmatched?: 'keep' | 'reinitialize';
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
  /** The option now, as `model.toJSON()` writes it (with the seed the value was drawn with). */
  newInitializer: SerializedInitializer;
  /**
   * The seed the values were drawn with (`deriveSeed(seed, k)`), or null: no `seed` given, or the
   * initializer takes none.
   */
  seed: number | null;
  /**
   * Index of the rule that chose it; null for the functional form, and for a weight that
   * `unmatched: 'reinitialize'` redrew with its own option.
   */
  rule: number | null;
  /**
   * Whether a model saved now reproduces the value bit for bit on a load without weights: the draw
   * was seeded (and `newInitializer` carries the seed) or draws nothing random. False for an
   * unseeded draw, whose option carries no seed.
   */
  reproducible: boolean;
}

/** Rules form: the first matching rule of each weight; every rule must be the first match of some weight. */
function chooseByRules(rules: readonly unknown[], sites: readonly WeightSite[]): Choice[] {
  const roles = [...new Set([...KNOWN_ROLES, ...sites.map((s) => s.role)])];
  const checked = checkRules(OWNER, Array.from(rules), roles); // Array.from: holes become undefined, which fails
  const taken = new Map<WeightSite, CheckedRule>();
  for (const rule of checked) {
    const layers = sites.filter((s) => layerMatches(rule.layer, s.chain));
    const hits = layers.filter((s) => rule.weight === null || s.role === rule.weight);
    if (hits.length === 0) throw unmatched(rule, sites, layers);
    for (const s of hits) if (!taken.has(s)) taken.set(s, rule);
  }
  const used = new Set(taken.values());
  const idle = checked.find((rule) => !used.has(rule));
  if (idle !== undefined) {
    const earlier = sites
      .filter((s) => layerMatches(idle.layer, s.chain))
      .filter((s) => idle.weight === null || s.role === idle.weight)
      .map((s) => `rules[${(taken.get(s) as CheckedRule).index}]`);
    throw new InitializerError(
      OWNER,
      `rules[${idle.index}]`,
      `${idle.label} never applies: every weight it matches is ` +
        `taken by an earlier rule (${[...new Set(earlier)].join(', ')}); put the ` +
        `more specific rule first`,
    );
  }
  return [...taken]
    .map(([site, rule]) => ({site, initializer: rule.initializer, by: rule}))
    .sort((a, b) => a.site.k - b.site.k);
}

/** The error for a rule that matches no weight: no layer, or no weight of its role. */
function unmatched(
  rule: CheckedRule,
  sites: readonly WeightSite[],
  layers: readonly WeightSite[],
): InitializerError {
  if (layers.length === 0) {
    const classes = [...new Set(sites.map((s) => s.leaf.layer.getClassName()))].join(', ');
    return new InitializerError(
      OWNER,
      `rules[${rule.index}].layer`,
      `${rule.label} matches no layer with weights in the model (their classes: ${classes || 'none'})`,
    );
  }
  const have = [...new Set(layers.map((s) => s.role))].map((r) => `'${r}'`).join(', ');
  return new InitializerError(
    OWNER,
    `rules[${rule.index}].weight`,
    `${rule.label}: the layers it matches have no weight with role '${rule.weight}' (their roles: ${have})`,
  );
}

/** Functional form: one call per weight. */
function chooseByFunction(choose: InitializerChooser, sites: readonly WeightSite[]): Choice[] {
  const choices: Choice[] = [];
  for (const site of sites) {
    const spec = choose(site.layer, site.role, site.weight);
    if (spec === undefined || spec === null) continue;
    const result = `the function's result for weight '${weightName(site.weight)}' (role '${site.role}')`;
    if (!isInitializerSpec(spec))
      throw new InitializerError(
        OWNER,
        'rules',
        `${result} must be ${SPEC_ALLOWED}, or undefined. Received: ${describeValue(spec)}`,
      );
    choices.push({
      site,
      initializer: resolveInitializer(OWNER, 'rules', result, spec),
      by: 'function',
    });
  }
  return choices;
}

/** The weights no rule chose, redrawn by their own options (`unmatched: 'reinitialize'`). */
function ownChoices(sites: readonly WeightSite[], chosen: readonly Choice[]): Choice[] {
  const taken = new Set(chosen.map((c) => c.site));
  return sites
    .filter((site) => !taken.has(site))
    .map((site) => ({site, initializer: site.saved, by: 'own' as const}));
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
 * same scheme — with `seed`, the very same values, since the saved option carries the seed they
 * were drawn with ({@link AppliedInitializer.reproducible}). Unmatched weights keep their values
 * bit for bit and their options, or with `unmatched: 'reinitialize'` are redrawn by their own
 * options as `reinitialize` does.
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
 * How, in stages that each compute a value: **plan** — each layer with weights is rebuilt from its
 * config, as `reinitialize` does, which shows which option initializes which weight (by identity:
 * the option holding the very initializer `addWeight` received; see `WEIGHT_ROLES`), and the rules
 * or the function choose; **validate** the choices; **rebuild once** — each affected layer from the
 * config it will save, so that every new value is drawn by exactly what a reload draws (tfjs's own
 * derivations, like the forget-gate wrapper, included) and what a reload would use is checked;
 * **write** the values, then the options.
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
  const {seed, unmatched: others} = parseOptions(options);
  if (typeof rules !== 'function' && (!Array.isArray(rules) || rules.length === 0))
    fail(OWNER, 'rules', 'a non-empty array of rules, or a function', rules);
  // Plan: where every weight lives, and what starts it.
  const found = findSites(OWNER, model);
  const chosen =
    typeof rules === 'function'
      ? chooseByFunction(rules as InitializerChooser, found.sites)
      : chooseByRules(rules, found.sites);
  const choices =
    others === 'reinitialize' ? [...chosen, ...ownChoices(found.sites, chosen)] : chosen;
  // Validate, seed, rebuild once, draw, write.
  return writeChoices(OWNER, found, choices, seed).map((r) => ({
    weight: r.site.weight.name,
    layer: r.site.leaf.path,
    role: r.site.role,
    shape: [...(r.site.weight.shape as number[])],
    oldInitializer: serializeInitializer(r.site.saved),
    newInitializer: serializeInitializer(r.saved),
    seed: r.seed,
    rule: typeof r.by === 'object' ? r.by.index : null,
    reproducible: r.reproducible,
  }));
}

function parseOptions(options: ApplyInitializersOptions): {
  seed: number | undefined;
  unmatched: 'keep' | 'reinitialize';
} {
  const known = knownOptions(OWNER, options, ['seed', 'unmatched']);
  const unmatched = known.unmatched ?? 'keep';
  if (unmatched !== 'keep' && unmatched !== 'reinitialize')
    fail(OWNER, 'unmatched', "'keep' or 'reinitialize'", unmatched);
  return {seed: seedOption()(known.seed, OWNER, 'seed') ?? undefined, unmatched};
}
