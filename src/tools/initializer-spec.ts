import {serialization} from '@tensorflow/tfjs-core';
import {layers} from '@tensorflow/tfjs-layers';
import {InitializerError, fail} from '../core/errors';
import {knownOptions} from '../core/options';
import {TfInitializer, type Initializer} from '../core/tfjs';
import {TFJS_BUILTIN_NAMES} from '../initializers/registry';
import {isInitializerName, unknownInitializerText} from '../initializers/initializer-names';

/**
 * An initializer as a layer option accepts it: an instance (`new XavierUniformCustom({gain: 2})`,
 * `tf.initializers.heNormal()`), a string identifier — a registered class name in PascalCase or
 * camelCase (`'XavierUniformCustom'`, `'zeroBias'`, `'VarianceScaling'`) or one of tfjs's
 * camelCase names (`'glorotUniform'`, `'heNormal'`, `'zeros'`, `'ones'`) — or a serialized
 * `{className, config}` object as `model.json` holds it (config keys in camelCase).
 */
export type InitializerSpec =
  Initializer | string | {className: string; config?: serialization.ConfigDict};

/** An initializer as a saved model names it. */
export interface SerializedInitializer {
  className: string;
  config: serialization.ConfigDict;
}

/**
 * The saved form of an initializer: what `model.toJSON()` writes for it before snake-casing
 * (`undefined` options as `null`).
 */
export function serializeInitializer(initializer: Initializer): SerializedInitializer {
  const config: serialization.ConfigDict = {};
  for (const [key, value] of Object.entries(initializer.getConfig())) config[key] = value ?? null;
  return {className: initializer.getClassName(), config};
}

/** What an {@link InitializerSpec} may be, as error messages say it. */
export const SPEC_ALLOWED =
  'an initializer instance, a registered initializer name, or a {className, config} object';

/** Whether `spec` has the form of an {@link InitializerSpec} (its content is checked by {@link resolveInitializer}). */
export function isInitializerSpec(spec: unknown): boolean {
  if (spec instanceof TfInitializer || typeof spec === 'string') return true;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    !Array.isArray(spec) &&
    typeof (spec as {className?: unknown}).className === 'string'
  );
}

function classEntry(name: string): unknown[] | undefined {
  const map = serialization.SerializationMap.getMap().classNameMap as Record<
    string,
    unknown[] | undefined
  >;
  return Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
}

/** A name that a plain-object lookup inside tfjs would resolve to `Object.prototype` (`'toString'`). */
function inheritedName(name: string): boolean {
  return name in Object.prototype;
}

/**
 * Turns an {@link InitializerSpec} into an initializer, exactly as a layer option would (tfjs's own
 * resolution, through a `Dense` that is constructed but never built, so nothing is allocated), and
 * checks that a saved model could name it: its class name must be registered with
 * `tf.serialization` as that class (or be a tfjs built-in name).
 *
 * @param owner the public function, for the error; `parameter` and `context` (a prefix of the
 * message, may be empty) say which input.
 * @throws InitializerError naming `context` for anything else: unknown names, bad configs (the
 * initializer's own error), instances of unregistered classes.
 */
export function resolveInitializer(
  owner: string,
  parameter: string,
  context: string,
  spec: unknown,
): Initializer {
  const wrong = (text: string): never => {
    throw new InitializerError(owner, parameter, context === '' ? text : `${context}: ${text}`);
  };
  if (spec instanceof TfInitializer) {
    const name = spec.getClassName();
    const entry = classEntry(name);
    if (entry === undefined)
      wrong(
        `the initializer's class '${name}' is not registered with ` +
          `tf.serialization, so a saved model could not name it; ` +
          `register it (register() for subclasses of BaseInitializer)`,
      );
    else if (entry[0] !== spec.constructor && !TFJS_BUILTIN_NAMES.includes(name)) {
      wrong(
        `the initializer's class name '${name}' is registered for ` +
          `another class, so a saved model would reload a different ` +
          `initializer; give the class its own static className and ` +
          `register it`,
      );
    }
    return spec;
  }
  if (!isInitializerSpec(spec)) return fail(owner, parameter, SPEC_ALLOWED, spec);
  const isSpecObject = typeof spec !== 'string';
  if (isSpecObject) {
    const config = knownOptions(owner, spec, ['className', 'config']).config;
    if (
      config !== undefined &&
      (typeof config !== 'object' || config === null || Array.isArray(config))
    ) {
      fail(owner, `${parameter}.config`, "an object of the initializer's options", config);
    }
  }
  const given = typeof spec === 'string' ? spec : (spec as {className: string}).className;
  const unknown = unknownInitializerText(given, typeof spec === 'string' ? 'string' : 'any');
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(given) || inheritedName(given)) wrong(unknown);
  const viaLayer = (value: unknown): Initializer =>
    (
      layers.dense({units: 1, name: owner, kernelInitializer: value as never}) as unknown as {
        kernelInitializer: Initializer;
      }
    ).kernelInitializer;
  // A tfjs camelCase identifier with options ({className: 'constant', config: {value: 1}}): tfjs's
  // identifiers are its class names with a lower-case first letter ('glorotUniform' → GlorotUniform).
  const upper = given.charAt(0).toUpperCase() + given.slice(1);
  const name =
    typeof spec !== 'string' && classEntry(given) === undefined && classEntry(upper) !== undefined
      ? upper
      : given;
  // Checked here rather than left to tfjs, so the message does not depend on tfjs's call stack.
  if (!isInitializerName(name, typeof spec === 'string' ? 'string' : 'className')) wrong(unknown);
  try {
    return viaLayer(
      typeof spec === 'string'
        ? spec
        : {className: name, config: {...((spec as {config?: object}).config ?? {})}},
    );
  } catch (e) {
    if (e instanceof InitializerError) return wrong(e.message);
    if (typeof spec === 'string' || classEntry(name) === undefined) return wrong(unknown);
    return wrong(
      `tfjs could not build ${name} from that config: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}
