import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue, fail} from './errors';
import {BaseInitializer, type InitializerClass} from './initializers/base';

/**
 * Class names tfjs-layers registers itself. Registering one of them would silently replace the
 * built-in for every model in the process, so {@link register} refuses; only the explicit opt-in
 * for fixed built-ins may do that.
 */
export const TFJS_BUILTIN_NAMES: readonly string[] = [
  'Zeros', 'Ones', 'Constant', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'VarianceScaling',
  'Orthogonal', 'Identity', 'GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LeCunUniform',
  'LeCunNormal',
];

const registered = new Map<string, InitializerClass>();

/**
 * Registers an initializer class with `tf.serialization` under its static `className`, so that the
 * string `'ClassName'` works as a layer's initializer and saved models that name it load.
 *
 * Names must be unique, must not contain `_` (tfjs would camel-case it on load) and must not be a
 * tfjs built-in name.
 *
 * @example
 * ```ts
 * class MyInit extends BaseInitializer<{}> { static className = 'MyInit'; ... }
 * register(MyInit);
 * tf.layers.dense({units: 4, kernelInitializer: 'MyInit'});
 * ```
 */
export function register<C extends InitializerClass>(cls: C): C {
  if (typeof cls !== 'function' || !((cls as {prototype?: unknown}).prototype instanceof BaseInitializer)) {
    fail('register', 'cls', 'a subclass of BaseInitializer', cls);
  }
  const name: unknown = cls.className;
  if (typeof name !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new InitializerError('register', 'className', `className must be PascalCase letters and digits (no '_'). Received: className=${describeValue(name)}`);
  }
  if (TFJS_BUILTIN_NAMES.includes(name)) {
    throw new InitializerError('register', 'className', `"${name}" is a tfjs built-in initializer name; registering it would replace the built-in.`);
  }
  const previous = registered.get(name);
  if (previous !== undefined && previous !== cls) {
    throw new InitializerError('register', 'className', `"${name}" is already registered by another class.`);
  }
  registered.set(name, cls);
  serialization.registerClass(cls as unknown as serialization.SerializableConstructor<serialization.Serializable>);
  return cls;
}

/** Names of every class this package has registered, in registration order. */
export function registeredNames(): string[] {
  return [...registered.keys()];
}

type RegistryEntry = [serialization.SerializableConstructor<serialization.Serializable>, serialization.FromConfigMethod<serialization.Serializable>];

/** The tfjs classes that {@link replaceBuiltin} displaced, by name, until {@link restoreBuiltin}. */
const displaced = new Map<string, RegistryEntry | undefined>();

/**
 * The explicit, separate path for overriding a tfjs built-in initializer name (used only by
 * `useFixedBuiltins`): registers `cls` under its `className`, which must be one of
 * {@link TFJS_BUILTIN_NAMES}, and remembers the class it displaces so that
 * {@link restoreBuiltin} can put it back. Idempotent.
 */
export function replaceBuiltin(cls: InitializerClass): void {
  const name = cls.className;
  if (!TFJS_BUILTIN_NAMES.includes(name)) {
    throw new InitializerError('replaceBuiltin', 'className', `"${name}" is not a tfjs built-in initializer name; use register(). Allowed: ${TFJS_BUILTIN_NAMES.join(', ')}`);
  }
  const map = serialization.SerializationMap.getMap().classNameMap;
  if (!displaced.has(name)) displaced.set(name, map[name] as RegistryEntry | undefined);
  serialization.registerClass(cls as unknown as serialization.SerializableConstructor<serialization.Serializable>);
}

/** Puts back the tfjs class that {@link replaceBuiltin} displaced; false if none was displaced. */
export function restoreBuiltin(name: string): boolean {
  if (!displaced.has(name)) return false;
  const map = serialization.SerializationMap.getMap().classNameMap;
  const original = displaced.get(name);
  if (original === undefined) delete map[name];
  else map[name] = original;
  displaced.delete(name);
  return true;
}
