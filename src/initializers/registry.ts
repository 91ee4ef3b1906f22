import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue, fail} from '../core/errors';
import {lowerFirst} from '../core/camel-case';
import {knownOptions} from '../core/options';
import {BaseInitializer, type InitializerClass} from './base';
import {TFJS_BUILTIN_NAMES as BUILTIN_NAMES} from './builtins/tfjs-builtins';

/**
 * Class names tfjs-layers registers itself (tfjs-builtins.ts). Registering one of them would
 * silently replace the built-in for every model in the process, so {@link register} refuses; only
 * the explicit opt-in for fixed built-ins may do that.
 */
export const TFJS_BUILTIN_NAMES: readonly string[] = BUILTIN_NAMES;

/** Every name this package has put in tfjs's registry (class names and aliases), and its class. */
const registered = new Map<string, InitializerClass>();

type RegistryEntry = [
  serialization.SerializableConstructor<serialization.Serializable>,
  serialization.FromConfigMethod<serialization.Serializable>,
];

function classMap(): {[name: string]: RegistryEntry} {
  return serialization.SerializationMap.getMap().classNameMap as unknown as {
    [name: string]: RegistryEntry;
  };
}

/** Options of {@link register}. */
export interface RegisterOptions {
  /**
   * Further names that load as this class (PascalCase or camelCase letters and digits, no `_`):
   * another library's name for the same scheme, or a former name. A model saved afterwards names
   * the class by its `className`.
   */
  aliases?: readonly string[];
}

function claim(cls: InitializerClass, name: unknown, what: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    throw new InitializerError(
      'register',
      what,
      `${what} must be letters and digits, starting with a letter ` +
        `(no '_', which tfjs camel-cases on load). ` +
        `Received: ${what}=${describeValue(name)}`,
    );
  }
  if (TFJS_BUILTIN_NAMES.includes(name)) {
    throw new InitializerError(
      'register',
      what,
      `"${name}" is a tfjs built-in initializer name; registering it would replace the built-in.`,
    );
  }
  const previous = registered.get(name);
  if (previous !== undefined && previous !== cls) {
    throw new InitializerError(
      'register',
      what,
      `"${name}" is already registered by another class (${previous.className}).`,
    );
  }
  return name;
}

/**
 * Registers an initializer class with `tf.serialization` under its static `className` and under the
 * same name with a lower-case first letter (tfjs's camelCase identifier style), so that
 * `'MyInit'`, `'myInit'` and `{className: 'MyInit', config}` work as a layer's initializer, and saved
 * models that name the class load. `options.aliases` adds further names (each in both cases too).
 *
 * `className` must be PascalCase letters and digits (no `_`, which tfjs camel-cases on load), unique,
 * and not a tfjs built-in name. Registering the same class again is a no-op.
 *
 * @example
 * ```ts
 * class MyInit extends BaseInitializer<{}> { static override className = 'MyInit'; ... }
 * register(MyInit);
 * tf.layers.dense({units: 4, kernelInitializer: 'myInit'});
 * ```
 */
export function register<C extends InitializerClass>(cls: C, options: RegisterOptions = {}): C {
  if (
    typeof cls !== 'function' ||
    !((cls as {prototype?: unknown}).prototype instanceof BaseInitializer)
  ) {
    fail('register', 'cls', 'a subclass of BaseInitializer', cls);
  }
  const aliases = knownOptions('register', options, ['aliases']).aliases ?? [];
  if (!Array.isArray(aliases)) fail('register', 'aliases', 'an array of names', aliases);
  const className: unknown = cls.className;
  if (typeof className !== 'string' || !/^[A-Z]/.test(className)) {
    throw new InitializerError(
      'register',
      'className',
      `className must be PascalCase letters and digits (no '_'). Received: className=${describeValue(className)}`,
    );
  }
  const given = [className, ...(aliases as unknown[])];
  const names = [
    ...new Set(given.flatMap((n) => (typeof n === 'string' ? [n, lowerFirst(n)] : [n]))),
  ];
  const checked = names.map((n, i) => claim(cls, n, i === 0 ? 'className' : 'aliases'));
  const entry: RegistryEntry = [
    cls as unknown as serialization.SerializableConstructor<serialization.Serializable>,
    (cls as unknown as {fromConfig: serialization.FromConfigMethod<serialization.Serializable>})
      .fromConfig,
  ];
  for (const name of checked) {
    registered.set(name, cls);
    classMap()[name] = entry;
  }
  return cls;
}

/**
 * The class names of every initializer this package (or your code, through {@link register}) has
 * registered, in registration order; each also loads by its camelCase form and any aliases.
 */
export function registeredNames(): string[] {
  return [...new Set([...registered.values()].map((cls) => cls.className))];
}

/** The class this package registered under `name` (a class name or an alias); internal. */
export function registeredClass(name: string): InitializerClass | undefined {
  return registered.get(name);
}

/** The further names `cls` was registered under (`options.aliases`, without camelCase forms); internal. */
export function aliasesOf(cls: InitializerClass): string[] {
  const own = [cls.className, lowerFirst(cls.className)];
  return [...registered]
    .filter(([name, c]) => c === cls && !own.includes(name) && name !== lowerFirst(name))
    .map(([name]) => name);
}

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
    throw new InitializerError(
      'replaceBuiltin',
      'className',
      `"${name}" is not a tfjs built-in initializer name; use register(). Allowed: ${TFJS_BUILTIN_NAMES.join(', ')}`,
    );
  }
  if (!displaced.has(name)) displaced.set(name, classMap()[name]);
  serialization.registerClass(
    cls as unknown as serialization.SerializableConstructor<serialization.Serializable>,
  );
}

/** Puts back the tfjs class that {@link replaceBuiltin} displaced; false if none was displaced. */
export function restoreBuiltin(name: string): boolean {
  if (!displaced.has(name)) return false;
  const original = displaced.get(name);
  if (original === undefined) delete classMap()[name];
  else classMap()[name] = original;
  displaced.delete(name);
  return true;
}
