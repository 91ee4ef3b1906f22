/**
 * Unknown initializer names in tfjs's own layer configs get this package's error
 * ({@link unknownInitializerText}: the nearest accepted names, ours and tfjs's) instead of tfjs's
 * "Unknown initializer: X ... not registered properly with tf.serialization.registerClass()".
 *
 * How: tfjs-layers resolves every initializer that is not one of its six Glorot/He/LeCun helpers
 * with `deserializeKerasObject(config, SerializationMap.getMap().classNameMap, {}, 'initializer')`,
 * which asks `className in classNameMap` and throws when the answer is false. Importing the package
 * replaces `classNameMap` with a Proxy over the same object whose only trap is `has`: for a name
 * that is in the registry it answers exactly as before (every get, set and key enumeration reaches
 * the object itself, so valid names and registrations behave as without the package); for a missing
 * name it throws our error when the lookup comes from tfjs's `deserializeInitializer`, seen on the
 * call stack, and answers false otherwise (layers, constraints, regularizers keep tfjs's errors).
 *
 * Limit: the call stack names tfjs's functions only in unminified builds (Node's, the ES modules a
 * bundler reads in development). In a minified bundle the frames carry other names, the hook stays
 * silent and tfjs's own error is thrown, unchanged.
 */
import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {unknownInitializerText} from './initializer-names';

/** Proxies already installed, shared by every copy of this package in the process. */
const KEY = Symbol.for('tfjs-initializers.unknownInitializerHook');
const installed: WeakSet<object> = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new WeakSet<object>()) as WeakSet<object>;

interface CallSite {
  getFunctionName(): string | null;
}
type ErrorWithV8 = ErrorConstructor & {
  prepareStackTrace?: (error: Error, sites: CallSite[]) => unknown;
  stackTraceLimit: number;
};

/**
 * The names of the functions on the call stack, innermost first. In V8 (Node, Chromium) read from
 * the call sites themselves, which skips the formatting a source-map handler (jest's,
 * `--enable-source-maps`) would do on every frame; elsewhere parsed from the `stack` text.
 */
function callerNames(): string[] {
  const E = Error as ErrorWithV8;
  const prepare = E.prepareStackTrace;
  const limit = E.stackTraceLimit;
  let stack: unknown;
  try {
    E.stackTraceLimit = 12;
    E.prepareStackTrace = (_error, sites) => sites.map((site) => site.getFunctionName() ?? '');
    stack = new Error().stack;
  } finally {
    E.prepareStackTrace = prepare;
    E.stackTraceLimit = limit;
  }
  if (Array.isArray(stack)) return stack as string[];
  return String(stack ?? '')
    .split('\n')
    .map((line) => /(?:at\s+)?(?:[\w$.]*\.)?([\w$]+)\s*[(@]/.exec(line)?.[1] ?? '');
}

/**
 * Whether the current `in` test on the registry is tfjs-layers' lookup of an initializer: its
 * `deserializeKerasObject` called by `deserializeInitializer`.
 */
function fromInitializerLookup(): boolean {
  const names = callerNames();
  const at = names.findIndex((n) => /\bdeserializeKerasObject$/.test(n));
  return at >= 0 && /\bdeserializeInitializer$/.test(names[at + 1] ?? '');
}

/**
 * Installs the hook on the registry of the tfjs-core this package uses; idempotent.
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 4, kernelInitializer: 'XavierUniformCustm'});
 * // InitializerError: tfjs-initializers: unknown initializer 'XavierUniformCustm'. Did you mean
 * // 'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)? ...
 * ```
 */
export function hookUnknownInitializerNames(): void {
  const map = serialization.SerializationMap.getMap();
  if (installed.has(map.classNameMap)) return;
  const proxy = new Proxy(map.classNameMap, {
    has(target, key) {
      if (Reflect.has(target, key) || typeof key !== 'string') return Reflect.has(target, key);
      if (fromInitializerLookup())
        throw new InitializerError('tfjs-initializers', 'className', unknownInitializerText(key));
      return false;
    },
  });
  installed.add(proxy);
  map.classNameMap = proxy;
}

hookUnknownInitializerNames();
