import {TfInitializer, type Initializer, type Layer} from '../core/tfjs';
import {InitializerError, fail} from '../core/errors';
import {knownOptions} from '../core/options';
import {SPEC_ALLOWED, resolveInitializer, type InitializerSpec} from './initializer-spec';
import {WEIGHT_ROLES, type WeightRole} from './weight-roles';

/**
 * One rule of `applyInitializers`: which weights (`layer`, `weight`) start from which
 * `initializer`. A rule without `layer` matches every layer; without `weight`, every weight of the
 * layers it matches.
 */
export interface InitializerRule {
  /**
   * A layer's class name (`'Dense'`, `'Conv2D'`, `'LSTM'`, `'BatchNormalization'`) or its name
   * (`'dense_1'`, `'encoder'`), compared exactly; or a RegExp tested against both. It matches a
   * weight when it matches the layer that holds the weight or any layer around it: a wrapper
   * (`Bidirectional`, `TimeDistributed`), the layer a wrapper wraps, an RNN's cell
   * (`'LSTMCell'`), or a nested model.
   */
  layer?: string | RegExp;
  /**
   * The weight's role: its layer option without `Initializer` — `'kernel'`, `'bias'`,
   * `'recurrent'`, `'depthwise'`, `'pointwise'`, `'gamma'`, `'beta'`, `'movingMean'`,
   * `'movingVariance'`, `'embeddings'`, `'alpha'` (or the role of a custom layer's weight).
   */
  weight?: WeightRole | (string & Record<never, never>);
  /** What the matched weights start from, and what the saved model will name. */
  initializer: InitializerSpec;
}

/** A checked rule. */
export interface CheckedRule {
  index: number;
  layer: string | RegExp | null;
  weight: string | null;
  initializer: Initializer;
  /** `rules[2] (Dense.kernel=XavierUniformCustom)`: how errors name the rule. */
  label: string;
}

/** Rule syntax shared with the CLI: `Layer.role=Initializer`, `*` for any layer. */
function ruleText(
  layer: string | RegExp | null,
  weight: string | null,
  initializer: string,
): string {
  const target = layer === null ? '*' : String(layer);
  return `${target}${weight === null ? '' : `.${weight}`}=${initializer}`;
}

/** An initializer as the CLI writes it: `'zeros'`, `XavierUniformCustom{"gain":2}`, or an instance's class name. */
function specText(spec: unknown): string {
  if (spec instanceof TfInitializer) return spec.getClassName();
  if (typeof spec === 'string') return spec;
  const {className, config} = (spec ?? {}) as {className?: unknown; config?: unknown};
  if (typeof className !== 'string') return '…';
  let json: string;
  try {
    json = config === undefined ? '' : (JSON.stringify(config) ?? '');
  } catch {
    json = '{…}';
  }
  return `${className}${json.length > 60 ? `${json.slice(0, 57)}…}` : json}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);
}

/** A RegExp that keeps no state between tests (no `g` or `y` flag). */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/**
 * Checks each rule's shape and resolves its initializer; roles are checked against `roles` (those
 * tfjs's layers use and those found in the model).
 */
export function checkRules(
  owner: string,
  rules: readonly unknown[],
  roles: readonly string[],
): CheckedRule[] {
  return rules.map((rule, index) => {
    const at = `rules[${index}]`;
    if (!isPlainObject(rule)) fail(owner, at, 'an object {layer?, weight?, initializer}', rule);
    let fields: Record<string, unknown>;
    try {
      fields = knownOptions(owner, rule, ['layer', 'weight', 'initializer']);
    } catch (e) {
      const error = e as InitializerError;
      throw new InitializerError(
        owner,
        `${at}.${error.parameter}`,
        `${at}: ${error.message.slice(owner.length + 2)}`,
      );
    }
    const {layer, weight, initializer} = fields;
    if (layer !== undefined && typeof layer !== 'string' && !(layer instanceof RegExp)) {
      fail(owner, `${at}.layer`, 'a layer class name or layer name (a string), or a RegExp', layer);
    }
    if (weight !== undefined && (typeof weight !== 'string' || !roles.includes(weight))) {
      const hint =
        typeof weight === 'string' && Object.prototype.hasOwnProperty.call(WEIGHT_ROLES, weight)
          ? `'${WEIGHT_ROLES[weight]}' (the role of weights named '${weight}'); roles`
          : 'a weight role';
      fail(owner, `${at}.weight`, `${hint}: ${roles.map((r) => `'${r}'`).join(', ')}`, weight);
    }
    if (initializer === undefined) fail(owner, `${at}.initializer`, SPEC_ALLOWED, initializer);
    const pattern = layer === undefined ? null : layer instanceof RegExp ? stateless(layer) : layer;
    const role = (weight as string | undefined) ?? null;
    const label = `${at} (${ruleText(pattern, role, specText(initializer))})`;
    const resolved = resolveInitializer(owner, `${at}.initializer`, label, initializer);
    return {index, layer: pattern, weight: role, initializer: resolved, label};
  });
}

/** Whether `pattern` names one of `layers` by class name or name (null: any layer). */
export function layerMatches(pattern: string | RegExp | null, layers: readonly Layer[]): boolean {
  if (pattern === null) return true;
  return layers.some((l) => {
    const names = [l.getClassName(), l.name];
    return typeof pattern === 'string'
      ? names.includes(pattern)
      : names.some((n) => pattern.test(n));
  });
}
